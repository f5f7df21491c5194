package io.dealflow.analytics.projection;

/**
 * Another transaction (another instance after a rebalance, a rebuild, a fetch of missing events) applied events of a
 * deal of this batch since it was read: the batch rolls back and is applied again from what is stored now.
 */
public final class ConcurrentApplication extends RuntimeException {

    ConcurrentApplication() {
        super("a deal of this batch was changed by another transaction since it was read", null, false, false);
    }
}
