/** The current time, injected so rules such as "authority lapses after 12 months" can be tested at any date. */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
