package io.dealflow.pipeline.write;

/**
 * Told when a group commit failed as a whole (the database refused the commit): whatever the service keeps in memory
 * about the writes of that batch, e.g. cached aggregates, describes changes that were never stored.
 */
public interface CommitFailureListener {

    void commitFailed();
}
