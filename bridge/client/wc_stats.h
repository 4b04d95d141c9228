/* get_stats() inside the client: the stats event of the call being waited for. */
#ifndef BRIDGE_WC_STATS_H
#define BRIDGE_WC_STATS_H

#include "wc_wire.h"

/* A PEER_STATS or CHANNEL_STATS event (wc_events_apply): kept when it answers the awaited
 * request, ignored otherwise (a call that timed out). Lock held. */
void wc_stats_on_event(const wc_event *p_event);

#endif /* BRIDGE_WC_STATS_H */
