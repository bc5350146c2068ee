import { codeList, type ValueOf } from '../use-of-force/code-list.js'

/**
 * The vocabulary of CED training (domain reference 6.2): courses with their national minimum hours, the assessments
 * a course is passed on, and the prerequisites an officer must hold to carry.
 */

export const cedCourses = codeList([
  // The national minimum is 18 hours of contact time; forces run three or four days.
  { value: 'initial', label: 'Initial course', minimumHours: 18, qualifies: true, order: 1 },
  // At least 6 hours every year, with testing.
  { value: 'refresher', label: 'Annual refresher', minimumHours: 6, qualifies: false, order: 2 },
  // Two days to move to another model; it includes the annual refresher, so at least the refresher's 6 hours.
  { value: 'conversion', label: 'Conversion course', minimumHours: 6, qualifies: true, order: 3 },
])

export type CedCourse = ValueOf<typeof cedCourses>

export const cedAssessments = codeList([
  { value: 'qualification_shoot', label: 'Qualification shoot', order: 1 },
  { value: 'written_test', label: 'Written test', order: 2 },
  { value: 'scenarios', label: 'Scenarios', order: 3 },
])

export type CedAssessment = ValueOf<typeof cedAssessments>

export const cedPrerequisites = codeList([
  { value: 'eyesight_test', label: 'Eyesight test', order: 1 },
  { value: 'first_aid', label: 'First aid', order: 2 },
  { value: 'officer_safety', label: 'Officer safety training', order: 3 },
  { value: 'fitness_test', label: 'Fitness test', order: 4 },
  { value: 'superintendent_endorsement', label: 'Superintendent endorsement', order: 5 },
])

export type CedPrerequisite = ValueOf<typeof cedPrerequisites>

/** How long a passed course keeps an officer authorised: "no longer than 12 months" (College of Policing). */
export const authorityMonths = 12
