package io.logomesh.host.messaging;

import org.jboss.logging.Logger;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Where message replies are audited and handed back to their senders: one virtual thread that runs
 * the tasks in order, so a reply never does blocking work (the audit append) on the IPC reader of the
 * plugin that answered, and a burst of replies costs one wakeup instead of one thread each. Its queue
 * holds at most one task per message in flight, which {@link MessagingLimits} caps per receiver.
 */
final class ReplyRelay implements Executor {

    private static final Logger LOG = Logger.getLogger(ReplyRelay.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Thread worker;

    ReplyRelay() {
        worker = Thread.ofVirtual().name("msg-replies").start(this::drain);
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (parked.get()) {
            LockSupport.unpark(worker);
        }
    }

    private void drain() {
        while (true) {
            Runnable task = tasks.poll();
            if (task == null) {
                parked.set(true);
                if (tasks.isEmpty()) {
                    LockSupport.park(this);
                }
                parked.set(false);
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "a message reply failed");
            }
        }
    }
}
