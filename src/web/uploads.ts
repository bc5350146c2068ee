import multipart, { type MultipartFile } from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'
import { MAX_LINE_ERRORS } from '../domain/imports/line-errors.js'

/**
 * Single-file uploads for the import pages (device logs, camera recordings, training records, incident counts).
 *
 * Each feature registers this in its own plugin scope, so multipart bodies are accepted only by that feature's
 * routes and with its size limit. Fields and the file are put on the body before the CSRF check reads `_csrf`
 * from it. A file over the limit is not an error of the parser (that would be a bare 413): it arrives as
 * 'too-large' so the page can say so in its error summary, like any other form error.
 */
export async function acceptFileUploads(app: FastifyInstance, maxBytes: number): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
    async onFile(part: MultipartFile) {
      const bytes = await part.toBuffer()
      const value: FileField = part.file.truncated
        ? { kind: 'too-large' }
        : { kind: 'file', name: part.filename, bytes }
      // With attachFieldsToBody 'keyValues', what onFile leaves in `value` becomes the body's field.
      ;(part as { value: unknown }).value = value
    },
  })
}

export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

type FileField = { kind: 'file'; name: string; bytes: Buffer } | { kind: 'too-large' }

/** The file in the body's `file` field, or why there is none (an empty file counts as none chosen). */
export function uploadedFile(body: unknown): UploadedFile | 'missing' | 'too-large' {
  const field = (body as Record<string, unknown> | undefined)?.file as FileField | undefined
  if (!field || typeof field !== 'object' || !('kind' in field)) return 'missing'
  if (field.kind === 'too-large') return 'too-large'
  if (field.bytes.byteLength === 0) return 'missing'
  return { name: field.name, bytes: field.bytes }
}

/** A text field sent beside the file, or '' when absent. */
export function uploadField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}

/** The error summary for a file rejected line by line. */
export function rejectedFileSummary(problems: number): string {
  const count = problems === 1 ? 'a problem' : `${problems}${problems >= MAX_LINE_ERRORS ? ' or more' : ''} problems`
  return `The file has ${count}: nothing was imported`
}
