/** The code lists of the national use-of-force record; importing from each file directly is just as good. */
export * from './code-list.js'
export * from './tactics.js'
export * from './ced.js'
export * from './subject.js'
export * from './context.js'
