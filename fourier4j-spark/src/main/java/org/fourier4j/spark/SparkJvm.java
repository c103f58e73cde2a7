package org.fourier4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * The JVM options Spark needs on Java 17 and later: the {@code --add-opens} of Spark's own {@link
 * JavaModuleOptions} (what {@code spark-submit} passes to drivers and executors). A JVM that starts
 * Spark itself (the command line in local mode, tests, a user's application) must be launched with
 * them; {@link #check()} says which are missing before Spark fails somewhere deep inside.
 */
public final class SparkJvm {

    private static final String PREFIX = "--add-opens=";

    private SparkJvm() {}

    /**
     * @return Spark's {@code --add-opens=module/package=ALL-UNNAMED} options
     */
    public static List<String> requiredOpens() {
        List<String> out = new ArrayList<>();
        for (String o : JavaModuleOptions.defaultModuleOptionArray()) {
            if (o.startsWith(PREFIX)) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * @return the required options this JVM was not started with
     */
    public static List<String> missingOpens() {
        Module unnamed = SparkJvm.class.getClassLoader().getUnnamedModule();
        List<String> missing = new ArrayList<>();
        for (String o : requiredOpens()) {
            String spec = o.substring(PREFIX.length(), o.lastIndexOf('='));
            String module = spec.substring(0, spec.indexOf('/'));
            String pkg = spec.substring(spec.indexOf('/') + 1);
            Optional<Module> m = ModuleLayer.boot().findModule(module);
            if (m.isPresent() && !m.get().isOpen(pkg, unnamed)) {
                missing.add(o);
            }
        }
        return missing;
    }

    /**
     * Checks that this JVM can run Spark.
     *
     * @throws SparkSetupException listing the missing options, if any
     */
    public static void check() {
        List<String> missing = missingOpens();
        if (!missing.isEmpty()) {
            throw new SparkSetupException(
                    "this JVM lacks the options Spark needs on Java 17+ (bin/fourier4j and"
                            + " spark-submit pass them): "
                            + String.join(" ", missing));
        }
    }
}
