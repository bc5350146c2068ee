import type { CedDeviceModel } from '../../domain/use-of-force/ced.js'
import type { CedTrainingModel } from './demo-force.js'

/** The demo generator names models as trainers say them; the database stores the code (cedDeviceModels). */
export function demoModelCode(model: CedTrainingModel): CedDeviceModel {
  return model === 'X2' ? 'x2' : model === 'TASER 7' ? 'taser_7' : 'taser_10'
}
