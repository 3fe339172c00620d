package dev.thing.client.console;

import dev.thing.client.net.ConnectionClosedException;
import dev.thing.client.net.Reply;
import dev.thing.protocol.ClientMessage;
import dev.thing.protocol.ErrorCode;
import dev.thing.protocol.ServerMessage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads commands, runs each, waits for its reply and shows it. Interactive: Ctrl-C while waiting stops waiting
 * (and aborts an upload). Script: exit code 0 when every command succeeded, 1 otherwise.
 */
public final class CommandLoop {
    private static final Logger LOG = LogManager.getLogger(CommandLoop.class);

    private final ConsoleIO console;
    private final ClientApi api;
    private final CommandParser parser;
    private final LongSupplier nanos;
    private boolean lost;

    public CommandLoop(ConsoleIO console, ClientApi api, LongSupplier nanos) {
        this.console = console;
        this.api = api;
        this.nanos = nanos;
        // At a terminal, as in an IRC client, a line that is not a command is a chat line; a script says 'say'.
        this.parser = new CommandParser(console.interactive());
    }

    /** Runs until the end of input, {@code quit}, or the connection is lost. Returns the exit code. */
    public int run() {
        boolean allOk = true;
        boolean quit = false;
        String line;
        while ((line = console.readLine()) != null) {
            Command command;
            try {
                command = parser.parse(line);
            } catch (CommandException e) {
                console.error(e.getMessage());
                allOk = false;
                continue;
            }
            if (command == null) {
                continue;
            }
            if (!api.connected()) {
                console.error("not connected");
                allOk = false;
                lost = true;
                break;
            }
            boolean ok = execute(command);
            allOk &= ok;
            if (command instanceof Command.Quit) {
                quit = true;
                break;
            }
            if (lost) {
                break;
            }
        }
        if (!quit && !api.connected()) {
            lost = true; // the console was hung up: the connection is gone
        }
        if (!quit && api.connected()) {
            try {
                api.send(new ClientMessage.Quit()).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("QUIT at the end of input", e);
            }
        }
        if (console.interactive()) {
            return lost ? 1 : 0;
        }
        return allOk && !lost ? 0 : 1;
    }

    private boolean execute(Command command) {
        if (command instanceof Command.Help h) {
            if (h.topic() == null) {
                console.println(CommandSpec.helpText());
                return true;
            }
            List<CommandSpec> forms = CommandSpec.findAll(h.topic());
            if (forms.isEmpty()) {
                console.error("no command '" + h.topic() + "'; type 'help' for the list");
                return false;
            }
            for (CommandSpec s : forms) {
                console.println(s.usage() + "\n  " + s.description() + (s.who() == null ? "" : " [" + s.who() + "]"));
            }
            return true;
        }
        if (command instanceof Command.Clear) {
            console.clear();
            return true;
        }
        if (command instanceof Command.SeekBy by) {
            java.util.OptionalLong now = api.lobbyPositionMs();
            if (now.isEmpty()) {
                console.error("nothing is playing; seek " + (by.deltaMs() < 0 ? "-" : "+")
                        + " moves from where the song is");
                return false;
            }
            command = new Command.Send(new ClientMessage.Seek(Math.max(0, now.getAsLong() + by.deltaMs())));
        }
        if (command instanceof Command.ShowBoard) {
            for (BoardDrawing.Line line : api.board(console.width())) {
                if (line.highlighted()) {
                    console.printHighlighted(line.text(), line.highlightFrom(), line.highlightTo());
                } else {
                    console.println(line.text());
                }
            }
            return true;
        }
        if (command instanceof Command.Status) {
            console.println(api.status());
            return true;
        }
        if (command instanceof Command.Quit) {
            Reply reply = await(api.send(new ClientMessage.Quit()));
            return reply != null && reply.ok();
        }
        if (command instanceof Command.Upload u) {
            return upload(u);
        }
        Command.Send send = (Command.Send) command;
        Reply reply = await(api.send(send.message()));
        if (reply == null) {
            return false;
        }
        String suggestion = reply.ok() ? "" : titleSuggestion(send.message(), reply);
        for (String out : Renderer.render(reply, console.width())) {
            if (reply.ok()) {
                console.println(out);
            } else if (out.startsWith("error: ")) {
                console.error(out.substring(7) + suggestion);
            } else {
                console.println(out);
            }
        }
        return reply.ok();
    }

    /** "; did you mean ..." for a song reference the server did not find, from the titles last listed. */
    private String titleSuggestion(ClientMessage message, Reply reply) {
        if (reply.error().map(e -> e.code() != ErrorCode.NO_SUCH_SONG).orElse(true)) {
            return "";
        }
        String ref = message instanceof ClientMessage.Play p ? p.song()
                : message instanceof ClientMessage.Get g ? g.song()
                : message instanceof ClientMessage.Delete d ? d.song()
                : message instanceof ClientMessage.SongSet t ? t.song()
                : message instanceof ClientMessage.Request r ? r.song() : null;
        if (ref == null || ref.startsWith("#")) {
            return "";
        }
        return CommandSpec.didYouMean(CommandSpec.closest(ref, api.titles()));
    }

    private boolean upload(Command.Upload u) {
        ProgressBar[] bar = new ProgressBar[1];
        // Chunks still in flight report progress after the final reply; once the line is ended, they are ignored
        // (redrawing it then would leave a stale bar under every later line).
        Object progressLock = new Object();
        boolean[] ended = new boolean[1];
        // Ctrl-C is taken from the start: one pressed while the upload is being set up cancels it as soon as it
        // exists.
        AtomicReference<ClientApi.UploadJob> started = new AtomicReference<>();
        AtomicBoolean cancel = new AtomicBoolean();
        ClientApi.UploadJob job;
        Reply reply;
        try (ConsoleIO.Handle h = console.onInterrupt(() -> {
            cancel.set(true);
            ClientApi.UploadJob j = started.get();
            if (j != null) {
                j.handle().cancel();
            }
        })) {
            try {
                job = api.upload(u, (sent, total) -> {
                    synchronized (progressLock) {
                        ProgressBar b = bar[0];
                        if (b != null && !ended[0]) {
                            console.progress(b.render(sent));
                        }
                    }
                });
            } catch (IOException | RuntimeException e) {
                console.error("cannot upload " + u.file() + ": " + e.getMessage());
                return false;
            }
            started.set(job);
            if (cancel.get()) {
                job.handle().cancel();
            }
            try {
                synchronized (progressLock) {
                    bar[0] = new ProgressBar(job.header().title(), job.size(), nanos);
                    console.progress(bar[0].render(0));
                }
                reply = await(job.handle().reply(), false);
            } finally {
                synchronized (progressLock) {
                    ended[0] = true;
                    console.endProgress();
                }
            }
        }
        if (reply == null) {
            return false;
        }
        if (reply.ok()) {
            String id = reply.okayDetail();
            console.println("uploaded " + job.header().title() + (id == null ? "" : " as #" + id));
            return true;
        }
        ServerMessage.Error e = reply.error().orElseThrow();
        if (e.code() == ErrorCode.ABORTED) {
            console.println(e.text().isBlank() ? "upload cancelled; nothing stored" : e.text());
        } else {
            console.error("upload of " + job.header().title() + " failed: " + Renderer.errorText(e));
        }
        return false;
    }

    private Reply await(CompletableFuture<Reply> future) {
        return await(future, true);
    }

    /** Waits for a reply; interactive Ctrl-C stops waiting (if {@code interruptible}). Null when there is none. */
    private Reply await(CompletableFuture<Reply> future, boolean interruptible) {
        CompletableFuture<Reply> waiting = future;
        ConsoleIO.Handle h = null;
        if (interruptible && console.interactive()) {
            CompletableFuture<Reply> stop = new CompletableFuture<>();
            h = console.onInterrupt(() -> stop.complete(null));
            waiting = future.applyToEither(stop, r -> r);
        }
        try {
            Reply r = waiting.join();
            if (r == null) {
                console.error("stopped waiting; the reply will be ignored");
            }
            return r;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConnectionClosedException && api.connected()) {
                // Dropped under the command, and the client is coming back to its place: the loop goes on.
                console.error("the connection dropped before the server answered; once reconnected, check whether "
                        + "it took effect");
            } else if (cause instanceof ConnectionClosedException) {
                // The client's connection listener says why and hangs the console up.
                lost = true;
            } else {
                console.error(String.valueOf(cause.getMessage()));
            }
            return null;
        } finally {
            if (h != null) {
                h.close();
            }
        }
    }
}
