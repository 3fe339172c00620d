package dev.thing.client.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.client.audio.PulseApi.PulseException;
import dev.thing.client.sync.FakeClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --audio}: what each choice plays through, and what happens where PulseAudio or Java Sound is missing. */
class AudioOutputsTest {
    final FakeClock clock = new FakeClock();
    final List<String> warnings = new ArrayList<>();
    final List<String> asked = new ArrayList<>();

    /** A machine with or without a PulseAudio server and a Java Sound line; remembers what was asked. */
    private AudioOutputs.Backends machine(boolean pulse, boolean javaSound) {
        return new AudioOutputs.Backends() {
            @Override
            public PulseApi pulse() {
                asked.add("pulse");
                if (!pulse) {
                    throw new PulseException("no PulseAudio server answered: Connection refused");
                }
                return new FakePulse(clock, 0);
            }

            @Override
            public boolean javaSound() {
                asked.add("javasound");
                return javaSound;
            }
        };
    }

    @Test
    void autoPrefersPulseAudio() {
        AudioOutputs.Choice c = AudioOutputs.choose(AudioMode.AUTO, machine(true, true), clock, warnings::add);
        assertThat(c.mode()).isEqualTo(AudioMode.PULSE);
        assertThat(c.sinks().get()).isInstanceOf(PulseSink.class);
        assertThat(asked).containsExactly("pulse");
        assertThat(warnings).isEmpty();
    }

    @Test
    void autoFallsBackToJavaSoundSayingWhyInTheLogOnly() {
        AudioOutputs.Choice c = AudioOutputs.choose(AudioMode.AUTO, machine(false, true), clock, warnings::add);
        assertThat(c.mode()).isEqualTo(AudioMode.JAVASOUND);
        assertThat(c.why()).contains("Connection refused");
        assertThat(asked).containsExactly("pulse", "javasound");
        assertThat(warnings).isEmpty();
    }

    @Test
    void autoWithNeitherPlaysSilentlyAfterOneWarning() {
        AudioOutputs.Choice c = AudioOutputs.choose(AudioMode.AUTO, machine(false, false), clock, warnings::add);
        assertThat(c.mode()).isEqualTo(AudioMode.SILENT);
        assertThat(c.sinks().get()).isInstanceOf(SilentSink.class);
        assertThat(c.sinks().get()).isInstanceOf(SilentSink.class);
        assertThat(warnings).containsExactly(AudioOutputs.NO_AUDIO_WARNING);
    }

    @Test
    void explicitPulseWithoutAServerIsRefused() {
        assertThatThrownBy(() -> AudioOutputs.choose(AudioMode.PULSE, machine(false, true), clock, warnings::add))
                .isInstanceOf(PulseException.class).hasMessageContaining("Connection refused");
        assertThat(asked).containsExactly("pulse"); // no quiet fallback to Java Sound
    }

    @Test
    void explicitPulseThatBecameUnusablePlaysSilentlyWithAWarningInsteadOfCrashing() {
        AudioOutputs.Choice c = AudioOutputs.chooseOrSilent(AudioMode.PULSE, machine(false, true), clock,
                warnings::add);
        assertThat(c.mode()).isEqualTo(AudioMode.SILENT);
        assertThat(warnings).singleElement().asString().contains("Connection refused", "playing silently");
    }

    @Test
    void explicitJavaSoundAndSilentNeverTouchPulseAudio() {
        assertThat(AudioOutputs.choose(AudioMode.JAVASOUND, machine(true, true), clock, warnings::add).mode())
                .isEqualTo(AudioMode.JAVASOUND);
        AudioOutputs.Choice silent = AudioOutputs.choose(AudioMode.SILENT, machine(true, true), clock, warnings::add);
        assertThat(silent.mode()).isEqualTo(AudioMode.SILENT);
        assertThat(silent.sinks().get().name()).isEqualTo("silent (--audio silent)");
        assertThat(asked).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theOptionTakesTheFourNamesInAnyCase() {
        assertThat(AudioMode.parse("auto")).isEqualTo(AudioMode.AUTO);
        assertThat(AudioMode.parse("Pulse")).isEqualTo(AudioMode.PULSE);
        assertThat(AudioMode.parse(" JAVASOUND ")).isEqualTo(AudioMode.JAVASOUND);
        assertThat(AudioMode.parse("silent")).isEqualTo(AudioMode.SILENT);
        assertThatThrownBy(() -> AudioMode.parse("alsa")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--audio takes auto, pulse, javasound or silent, not 'alsa'");
    }

    @Test
    void aMissingLibraryIsAClearRefusalNotACrash() {
        assertThatThrownBy(() -> JnaPulse.load("test", "thing-no-such-library-42"))
                .isInstanceOf(PulseException.class)
                .hasMessageContaining("cannot load libpulse")
                .hasMessageContaining("install libpulse0");
    }
}
