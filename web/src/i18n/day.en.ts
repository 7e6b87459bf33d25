/** The agent's day (issue 13): arrivals, order, unanswered, outage, drafts — en. */
export const day = {
  unsent: {
    waiting: 'No connection: it will be sent by itself when the connection returns',
  },
  queue: {
    arrivals: '{n} new | {n} new',
    arrivalsLabel: 'Show {n} new ticket | Show {n} new tickets',
    order: 'Order',
    oldestFirst: 'Oldest first',
    newestFirst: 'Newest first',
    unanswered: 'Unanswered',
    unansweredHint: "Only tickets whose last message is the customer's",
    emptyUnanswered: 'No ticket is waiting for your reply.',
  },
};
