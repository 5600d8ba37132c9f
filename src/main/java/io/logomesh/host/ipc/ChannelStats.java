package io.logomesh.host.ipc;

/**
 * Counters of one plugin connection.
 *
 * @param framesIn frames received (including garbage)
 * @param framesOut frames sent
 * @param garbageDropped received frames that were not a valid protocol message
 * @param unknownResponses responses to an id that was not pending (late, duplicate or invented)
 * @param outboxRefused host → plugin frames refused because the outbox was full ({@code busy})
 * @param requestsRefused plugin → host requests answered {@code busy} because too many were in flight
 * @param outboxBytes bytes queued for the plugin right now
 */
public record ChannelStats(long framesIn, long framesOut, long garbageDropped, long unknownResponses,
                           long outboxRefused, long requestsRefused, long outboxBytes) {
}
