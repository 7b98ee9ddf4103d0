package dev.pulse.config;

/** A user mistake at start-up: one line that names the option (or address) and the fix. Exit status 2. */
public class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
