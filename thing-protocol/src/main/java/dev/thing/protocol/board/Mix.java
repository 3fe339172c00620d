package dev.thing.protocol.board;

/** How a playing board and the lobby's song sound together. */
public enum Mix {
    /** The board plays over the song (the default). */
    OVER,
    /** The song is muted while the board plays; its clock runs on. */
    INSTEAD
}
