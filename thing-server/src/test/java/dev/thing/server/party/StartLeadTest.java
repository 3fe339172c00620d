package dev.thing.server.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StartLeadTest {
    @Test
    void noKnownRttGivesTheFloor() {
        assertThat(StartLead.leadMicros(List.of())).isEqualTo(250_000);
        assertThat(StartLead.leadMicros(List.of(OptionalLong.empty(), OptionalLong.empty()))).isEqualTo(250_000);
    }

    @Test
    void smallRttsGiveTheFloor() {
        // 2 x 50 ms + 100 ms = 200 ms < 250 ms
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(50_000)))).isEqualTo(250_000);
    }

    @Test
    void largestKnownRttCounts() {
        List<OptionalLong> rtts = List.of(OptionalLong.of(20_000), OptionalLong.empty(),
                OptionalLong.of(400_123), OptionalLong.of(100_000));
        assertThat(StartLead.leadMicros(rtts)).isEqualTo(2 * 400_123 + 100_000);
    }

    @Test
    void capApplies() {
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(1_450_001)))).isEqualTo(3_000_000);
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(1_450_000)))).isEqualTo(3_000_000);
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(1_449_999)))).isEqualTo(2_999_998);
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(Long.MAX_VALUE)))).isEqualTo(3_000_000);
    }

    @Test
    void customFloorAndCap() {
        assertThat(StartLead.leadMicros(List.of(), 500, 1000)).isEqualTo(500_000);
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(300_000)), 500, 1000)).isEqualTo(700_000);
        assertThat(StartLead.leadMicros(List.of(OptionalLong.of(900_000)), 500, 1000)).isEqualTo(1_000_000);
        assertThat(StartLead.DEFAULT_FLOOR_MS).isEqualTo(250);
        assertThat(StartLead.DEFAULT_CAP_MS).isEqualTo(3000);
    }
}
