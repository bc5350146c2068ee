// Starts GOV.UK Frontend's components. Loaded as a module, so browsers too old for ES modules skip it and get the
// no-JavaScript version of each component, which is what GOV.UK Frontend expects.
import { initAll } from './govuk-frontend.min.js'

initAll()
