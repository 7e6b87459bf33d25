/**
 * An open conversation's ticket, followed on its own only while no live list
 * the console holds carries it. On Firestore every listener pays a read for
 * every change it hears: a ticket in Em atendimento followed by the list AND
 * by its own listener would cost two reads per message. `listed(false)`
 * (the ticket left every list: transferred, closed, moved away) opens the
 * ticket's own listener, whose first answer says what became of it;
 * `listed(true)` closes it again. The conversation store and the bench
 * (bench/firestore.ts) both follow tickets this way.
 */
export const followTicket = (subscribe: () => () => void) => {
  let stop: (() => void) | null = null;
  return {
    listed(live: boolean) {
      if (live) {
        stop?.();
        stop = null;
      } else if (!stop) stop = subscribe();
    },
    stop() {
      stop?.();
      stop = null;
    },
  };
};
