package org.fourier4j.cli;

import picocli.CommandLine;

/** Reports the version from the jar manifest, with the DJL and Java versions in use. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Fourier4j.class.getPackage().getImplementationVersion();
        return new String[] {
            "fourier4j " + (v == null ? "(development build)" : v),
            "DJL " + djlVersion() + ", Java " + System.getProperty("java.version")
        };
    }

    private static String djlVersion() {
        Package p = ai.djl.engine.Engine.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "0.35.1" : v;
    }
}
