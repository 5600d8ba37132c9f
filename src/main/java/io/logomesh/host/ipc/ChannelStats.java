package io.logomesh.host.ipc;

/**
 * Counters of one plugin connection.
 *
 * @param framesIn frames received (including garbage)
 * @param framesOut frames sent
 * @param garbageDropped received frames that were not a valid protocol message
 * @param unknownResponses responses to an id that was not pending (late, duplicate or invented)
 */
public record ChannelStats(long framesIn, long framesOut, long garbageDropped, long unknownResponses) {
}
