package dev.thing.client.audio;

import java.util.Locale;

/** {@code --audio}: where the client's sound goes. */
public enum AudioMode {
    /** PulseAudio if libpulse loads and a server answers, else Java Sound, else silent (with one warning). */
    AUTO,
    /** PulseAudio only (libpulse through JNA): the client refuses to start without it. */
    PULSE,
    /** Java Sound (through ALSA on Linux); silent, with one warning, where it has no output line. */
    JAVASOUND,
    /** No sound; playback still keeps time, so the client stays in sync and caches songs. */
    SILENT;

    /** The option's value, any case: auto, pulse, javasound or silent. */
    public static AudioMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (AudioMode m : values()) {
            if (m.label().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--audio takes auto, pulse, javasound or silent, not '" + value + "'");
    }

    /** As written on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
