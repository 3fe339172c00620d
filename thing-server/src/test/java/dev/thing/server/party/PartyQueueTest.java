package dev.thing.server.party;

import static dev.thing.server.party.PlaybackClockTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thing.server.party.PartyException.Reason;
import org.junit.jupiter.api.Test;

class PartyQueueTest {
    final QueueEntry a = new QueueEntry(1, "A", "ann");
    final QueueEntry b = new QueueEntry(2, "B", "bob");
    final QueueEntry c = new QueueEntry(3, "C", "cy");

    @Test
    void firstInFirstOut() {
        PartyQueue q = new PartyQueue(10);
        q.add(a);
        q.add(b);
        q.add(c);
        assertThat(q.entries()).containsExactly(a, b, c);
        assertThat(q.poll()).contains(a);
        assertThat(q.poll()).contains(b);
        assertThat(q.entries()).containsExactly(c);
        assertThat(q.poll()).contains(c);
        assertThat(q.poll()).isEmpty();
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void duplicateSongIsRefused() {
        PartyQueue q = new PartyQueue(10);
        q.add(a);
        assertReason(() -> q.add(new QueueEntry(1, "A", "someone else")), Reason.DUPLICATE);
        assertThat(q.entries()).containsExactly(a);
        q.poll();
        q.add(a); // no longer queued: fine again
        assertThat(q.size()).isEqualTo(1);
    }

    @Test
    void limit() {
        PartyQueue q = new PartyQueue(2);
        q.add(a);
        q.add(b);
        assertReason(() -> q.add(c), Reason.LIMIT);
        assertThat(q.entries()).containsExactly(a, b);
    }

    @Test
    void duplicateWinsOverLimit() {
        PartyQueue q = new PartyQueue(1);
        q.add(a);
        assertReason(() -> q.add(a), Reason.DUPLICATE);
    }

    @Test
    void removeDeletedSong() {
        PartyQueue q = new PartyQueue(10);
        q.add(a);
        q.add(b);
        q.add(c);
        assertThat(q.remove(2)).isTrue();
        assertThat(q.remove(2)).isFalse();
        assertThat(q.entries()).containsExactly(a, c);
    }

    @Test
    void entriesIsACopy() {
        PartyQueue q = new PartyQueue(10);
        q.add(a);
        var snapshot = q.entries();
        q.add(b);
        assertThat(snapshot).containsExactly(a);
        assertThatThrownBy(() -> snapshot.add(c)).isInstanceOf(UnsupportedOperationException.class);
    }
}
