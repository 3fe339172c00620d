package dev.thing.server.library;

import org.jaudiotagger.tag.FieldKey;

/**
 * The song fields a {@code SONG <title> SET} may change, with the ID3 field each is stored in:
 * ARTIST is TPE1, TAG1 is the genre (TCON), TAG2 the comment (COMM). The title (TIT2) is not editable.
 */
public enum SongField {
    ARTIST(FieldKey.ARTIST),
    TAG1(FieldKey.GENRE),
    TAG2(FieldKey.COMMENT);

    private final FieldKey id3Key;

    SongField(FieldKey id3Key) {
        this.id3Key = id3Key;
    }

    /** The jaudiotagger key this field is written to. */
    public FieldKey id3Key() {
        return id3Key;
    }
}
