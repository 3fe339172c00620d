package dev.thing.protocol;

/** A person's standing in a lobby, as USERS shows it. */
public enum Role {
    ADMIN, MODERATOR, USER, PENDING;

    /** True for the roles that may approve joiners and steer playback. */
    public boolean canModerate() {
        return this == ADMIN || this == MODERATOR;
    }
}
