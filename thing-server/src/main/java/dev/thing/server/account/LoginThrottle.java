package dev.thing.server.account;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing, per account and per address: the first {@link #FREE_FAILURES} wrong passwords cost
 * nothing, each one after that locks the key for 1, 2, 4 ... up to {@link #MAX_LOCK_SECONDS} seconds. During a
 * lock every attempt on that key is refused at once (no thread sleeps). A key with no failure for
 * {@link #FORGET_AFTER_SECONDS} is forgotten; a right password clears its account's count (not its address's, so
 * one known password does not reset an address's guessing). Thread-safe; the clock is injected.
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 3;
    public static final long MAX_LOCK_SECONDS = 300;
    public static final long FORGET_AFTER_SECONDS = 900;
    /** Past this many tracked keys the expired ones are swept; the map never grows without bound for long. */
    private static final int SWEEP_AT = 10_000;

    private record Entry(int failures, long lastFailureNanos, long lockedUntilNanos) {
    }

    private final LongSupplier nanos;
    private final Map<String, Entry> entries = new HashMap<>();

    /** @param nanos a monotonic clock in nanoseconds */
    public LoginThrottle(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Seconds (rounded up) the account or address is still locked for; empty when a try is allowed now. */
    public synchronized OptionalLong lockedFor(String account, String address) {
        long now = nanos.getAsLong();
        long until = Math.max(until(accountKey(account), now), until(addressKey(address), now));
        if (until <= now) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (until - now + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1)));
    }

    /** A wrong password for {@code account} from {@code address}. */
    public synchronized void failed(String account, String address) {
        long now = nanos.getAsLong();
        bump(accountKey(account), now);
        bump(addressKey(address), now);
        if (entries.size() > SWEEP_AT) {
            sweep(now);
        }
    }

    /** A right password: the account's count starts again. */
    public synchronized void succeeded(String account) {
        entries.remove(accountKey(account));
    }

    /** The lock a key gets at its {@code failures}-th failure: 0, then 1, 2, 4 ... capped. */
    static long lockSeconds(int failures) {
        if (failures <= FREE_FAILURES) {
            return 0;
        }
        int doublings = failures - FREE_FAILURES - 1;
        return doublings >= 9 ? MAX_LOCK_SECONDS : Math.min(MAX_LOCK_SECONDS, 1L << doublings);
    }

    private long until(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return Long.MIN_VALUE;
        }
        if (now - e.lastFailureNanos() > TimeUnit.SECONDS.toNanos(FORGET_AFTER_SECONDS)) {
            entries.remove(key);
            return Long.MIN_VALUE;
        }
        return e.lockedUntilNanos();
    }

    private void bump(String key, long now) {
        Entry old = entries.get(key);
        int failures = old == null || now - old.lastFailureNanos() > TimeUnit.SECONDS.toNanos(FORGET_AFTER_SECONDS)
                ? 1 : old.failures() + 1;
        long lock = TimeUnit.SECONDS.toNanos(lockSeconds(failures));
        entries.put(key, new Entry(failures, now, lock == 0 ? now : now + lock));
    }

    private void sweep(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastFailureNanos() > TimeUnit.SECONDS.toNanos(FORGET_AFTER_SECONDS)) {
                it.remove();
            }
        }
    }

    private static String accountKey(String account) {
        return "account:" + account.toLowerCase(java.util.Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
