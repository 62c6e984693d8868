package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The database user and password of one store, kept in {@code <path>.credentials} ({@code 0600}).
 * Made once, with the store (or the first time a store made by an older version, whose password was
 * empty, is opened); only processes of the owner can read it, so only they can connect.
 *
 * @param user     the H2 user (the database's administrator)
 * @param password random, 32 bytes as hex; never logged
 */
record StoreCredentials(String user, String password) {
    static final String USER = "SA";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The credentials on file, or nothing when the store has none yet. */
    static Optional<StoreCredentials> read(StoreFiles files) {
        try {
            return StoreFiles.read(files.credentials()).map(p -> new StoreCredentials(
                    p.getProperty("user", USER), p.getProperty("password", "")));
        } catch (IOException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot read " + files.credentials() + ": " + e
                    + "; it must be readable by the user that runs llm-service", e);
        }
    }

    /** New random credentials, written to the file before anything uses them. */
    static StoreCredentials create(StoreFiles files) {
        StoreCredentials c = new StoreCredentials(USER, secret());
        Properties p = new Properties();
        p.setProperty("user", c.user);
        p.setProperty("password", c.password);
        try {
            StoreFiles.writeAtomically(files.credentials(), p);
        } catch (IOException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot write " + files.credentials() + ": " + e,
                    e);
        }
        return c;
    }

    /** 32 random bytes as hex. */
    static String secret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "StoreCredentials[user=" + user + ", password=***]";
    }
}
