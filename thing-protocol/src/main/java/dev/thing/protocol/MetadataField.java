package dev.thing.protocol;

/** The fields {@code SONG <title> SET} may change. */
public enum MetadataField {
    /** Stored in the ID3 artist frame (TPE1). */
    ARTIST,
    /** Stored in the ID3 genre frame (TCON). */
    TAG1,
    /** Stored in the ID3 comment frame (COMM). */
    TAG2
}
