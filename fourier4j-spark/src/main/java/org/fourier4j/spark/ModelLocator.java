package org.fourier4j.spark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.ModelDirectoryException;

/**
 * Finds a model directory on the JVM that needs it (the driver or an executor). The name given is
 * tried as a local path first (shared storage mounted at the same path everywhere, or local mode);
 * then, inside Spark, as shipped with {@code spark-submit}: an archive given as {@code --archives
 * model.zip#NAME} (unpacked to a directory {@code NAME} in Spark's file root, or in the working
 * directory on YARN) or the directory's files given one by one with {@code --files} (they land
 * together in Spark's file root).
 */
public final class ModelLocator {

    private ModelLocator() {}

    /**
     * Resolves a model directory.
     *
     * @param name a local path or {@code file:} URI, or the name it was shipped under
     * @return an existing local directory (or file a model source reads)
     * @throws ModelDirectoryException naming the places tried, if none has the model
     */
    public static Path resolve(String name) {
        Path given = toPath(name);
        if (Files.exists(given)) {
            return given;
        }
        List<Path> tried = new ArrayList<>();
        tried.add(given.toAbsolutePath());
        if (SparkEnv.get() != null) {
            Path root = Paths.get(SparkFiles.getRootDirectory());
            Path leaf = given.getFileName();
            if (leaf != null) {
                for (Path candidate :
                        List.of(root.resolve(leaf.toString()), leaf.toAbsolutePath())) {
                    if (Files.exists(candidate)) {
                        return candidate;
                    }
                    tried.add(candidate);
                }
            }
            if (ModelDirectory.isModelDirectory(root)) {
                return root;
            }
            tried.add(root);
        }
        throw new ModelDirectoryException(
                "model directory not found: "
                        + name
                        + " (looked in "
                        + String.join(", ", tried.stream().map(Path::toString).toList())
                        + "; on a cluster put it on shared storage or ship it with spark-submit"
                        + " --archives model.zip#"
                        + (given.getFileName() == null ? "model" : given.getFileName())
                        + ")");
    }

    private static Path toPath(String name) {
        if (name.startsWith("file:")) {
            return Paths.get(URI.create(name));
        }
        return Paths.get(name);
    }
}
