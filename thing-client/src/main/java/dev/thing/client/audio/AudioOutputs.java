package dev.thing.client.audio;

import dev.thing.client.audio.PulseApi.PulseException;
import dev.thing.client.sync.LocalClock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.SourceDataLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Chooses the sink for {@code --audio} ({@link AudioMode}). Under {@code auto}: PulseAudio if libpulse loads and a
 * server answers, else Java Sound if it has an output line, else silent, with one warning
 * ({@value #NO_AUDIO_WARNING}). An explicit {@code pulse} without PulseAudio is refused ({@link #choose} throws), an
 * explicit {@code javasound} without a line plays silently (one warning), {@code silent} plays nothing. Nothing
 * here lets a missing library crash the client.
 */
public final class AudioOutputs {
    public static final String NO_AUDIO_WARNING = "no audio output (no PulseAudio server, no Java Sound line):"
            + " playing silently (keeping time)";
    /** How long a PulseAudio server may take to answer the probe. */
    public static final long PROBE_TIMEOUT_MS = 2_000;

    private static final Logger LOG = LogManager.getLogger(AudioOutputs.class);

    private AudioOutputs() {
    }

    /** What is on this machine; replaceable in tests. */
    public interface Backends {
        /** libpulse loaded, and a server that answered. @throws PulseException saying why not */
        PulseApi pulse();

        /** True if Java Sound offers a 16-bit PCM output line. */
        boolean javaSound();
    }

    /** The machine's own: libpulse through JNA ({@link JnaPulse}), Java Sound's mixers. */
    public static final Backends SYSTEM = new Backends() {
        @Override
        public PulseApi pulse() {
            JnaPulse p = JnaPulse.load("thing-client");
            p.probe(PROBE_TIMEOUT_MS);
            return p;
        }

        @Override
        public boolean javaSound() {
            try {
                AudioFormat probe = new AudioFormat(44_100f, 16, 2, true, false);
                return AudioSystem.isLineSupported(new DataLine.Info(SourceDataLine.class, probe));
            } catch (Throwable e) { // NOPMD: a broken sound system (no native libs, a bad provider) means "no"
                LOG.debug("no Java Sound output", e);
                return false;
            }
        }
    };

    /** The choice: what plays ({@code mode}, never {@code AUTO}), how sinks are made, and why, for the log. */
    public record Choice(AudioMode mode, Supplier<AudioSink> sinks, String why) {
    }

    /**
     * The sinks for {@code requested}.
     *
     * @throws PulseException for an explicit {@link AudioMode#PULSE} where PulseAudio cannot be used (the message
     *     says why)
     */
    public static Choice choose(AudioMode requested, Backends backends, LocalClock clock, Consumer<String> warn) {
        switch (requested) {
            case SILENT:
                return new Choice(AudioMode.SILENT, () -> new SilentSink(clock, "silent (--audio silent)"),
                        "--audio silent");
            case JAVASOUND:
                return new Choice(AudioMode.JAVASOUND, () -> JavaSoundSink.openBest(clock, warn), "--audio javasound");
            case PULSE: {
                PulseApi api = backends.pulse();
                return new Choice(AudioMode.PULSE, () -> new PulseSink(api, clock, warn), "--audio pulse");
            }
            case AUTO:
            default:
                String noPulse;
                try {
                    PulseApi api = backends.pulse();
                    return new Choice(AudioMode.PULSE, () -> new PulseSink(api, clock, warn),
                            "auto: a PulseAudio server answered");
                } catch (PulseException e) {
                    noPulse = e.getMessage();
                }
                if (backends.javaSound()) {
                    return new Choice(AudioMode.JAVASOUND, () -> JavaSoundSink.openBest(clock, warn),
                            "auto: no PulseAudio (" + noPulse + "); Java Sound has an output line");
                }
                warn.accept(NO_AUDIO_WARNING);
                return new Choice(AudioMode.SILENT, () -> new SilentSink(clock, "silent (no audio output)"),
                        "auto: no PulseAudio (" + noPulse + "), no Java Sound line");
        }
    }

    /**
     * As {@link #choose}, but never throws: an explicit {@code pulse} that has become unusable since the command line
     * was checked plays silently, with a warning.
     */
    public static Choice chooseOrSilent(AudioMode requested, Backends backends, LocalClock clock,
            Consumer<String> warn) {
        try {
            Choice c = choose(requested, backends, clock, warn);
            LOG.info("audio output: {} ({})", c.mode().label(), c.why());
            return c;
        } catch (PulseException e) {
            String line = "cannot play through PulseAudio (" + e.getMessage() + "): playing silently (keeping time)";
            LOG.warn(line);
            warn.accept(line);
            return new Choice(AudioMode.SILENT, () -> new SilentSink(clock, "silent (PulseAudio unavailable)"),
                    line);
        }
    }
}
