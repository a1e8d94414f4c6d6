package io.logferry;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (absent when running from classes). */
public final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"logferry " + (version == null ? "development build" : version)};
    }
}
