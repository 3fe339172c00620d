/**
 * The server's console: the operator's commands, read from standard input on a thread of their own and run
 * against the live server's rooms (lobbies, library, wanted list, accounts).
 */
package dev.thing.server.console;
