// Builds the browser assets into public/: the stylesheet, GOV.UK Frontend's JavaScript and the icons the page
// template links to. Run with `npx tsx scripts/build-assets.ts`, or call buildAssets() from code.
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as sass from 'sass'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const govukDist = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

// GOV.UK Frontend's fonts (GDS Transport), crest and crown icons are reserved for GOV.UK, so none is copied: the
// layout links our own icon instead.
export interface BuildAssetsOptions {
  /** Where to write the assets. Defaults to public/ in the project root. */
  outDir?: string
}

export async function buildAssets(options: BuildAssetsOptions = {}): Promise<{ outDir: string; files: string[] }> {
  const outDir = options.outDir ?? path.join(root, 'public')
  const files: string[] = []

  const write = async (relative: string, contents: string): Promise<void> => {
    const target = path.join(outDir, relative)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, contents)
    files.push(relative)
  }
  const copy = async (from: string, relative: string): Promise<void> => {
    const target = path.join(outDir, relative)
    await mkdir(path.dirname(target), { recursive: true })
    await copyFile(from, target)
    files.push(relative)
  }

  const { css } = await sass.compileAsync(path.join(root, 'src', 'web', 'assets', 'application.scss'), {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    sourceMap: false,
    // GOV.UK Frontend's own deprecation notices are not ours to fix.
    quietDeps: true,
  })
  await write('stylesheets/application.css', css)

  await copy(path.join(govukDist, 'govuk-frontend.min.js'), 'javascripts/govuk-frontend.min.js')
  // The minified file ends with a sourceMappingURL comment; shipping the map stops a 404 in browser devtools.
  await copy(path.join(govukDist, 'govuk-frontend.min.js.map'), 'javascripts/govuk-frontend.min.js.map')
  await copy(path.join(root, 'src', 'web', 'assets', 'init.js'), 'javascripts/init.js')

  await copy(path.join(root, 'src', 'web', 'assets', 'favicon.svg'), 'assets/images/favicon.svg')

  return { outDir, files }
}

// Run only when executed directly, not when imported.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { outDir, files } = await buildAssets()
  console.log(`Built ${files.length} asset files into ${path.relative(process.cwd(), outDir) || '.'}`)
}
