package io.logferry.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The runner's properties as the commands that do not start Camel see them: DIR/application.properties over
 * the jar's logferry-defaults.properties, with system properties on top (the same order as {@code run}).
 */
public final class RunnerProperties {

    private RunnerProperties() {
    }

    public static String get(Path configDir, String key) throws IOException {
        String value = System.getProperty(key);
        if (value != null) {
            return value;
        }
        Path file = configDir.resolve("application.properties");
        if (Files.isRegularFile(file)) {
            Properties user = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                user.load(in);
            }
            if (user.getProperty(key) != null) {
                return user.getProperty(key).strip();
            }
        }
        Properties defaults = new Properties();
        try (InputStream in = RunnerProperties.class.getClassLoader()
                .getResourceAsStream("logferry-defaults.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        }
        return defaults.getProperty(key);
    }
}
