import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { odsFromContent, odsWorkbook } from '../../../test/support/ods-workbook.js'
import { readOds, UnreadableWorkbookError } from './ods.js'

describe('reading an OpenDocument spreadsheet', () => {
  it('reads numbers as numbers and text as text, sheet by sheet', () => {
    const sheets = readOds(
      odsWorkbook([
        { name: 'One', rows: [['Title'], [], ['Kent', 12.5, null, 'R']] },
        { name: 'Two', rows: [[1]] },
      ]),
    )
    expect(sheets).toEqual([
      { name: 'One', rows: [['Title'], [], ['Kent', 12.5, null, 'R']] },
      { name: 'Two', rows: [[1]] },
    ])
  })

  it('expands repeated cells and rows, drops trailing empty ones, and keeps spaces and line breaks', () => {
    const sheets = readOds(
      odsFromContent(
        '<office:spreadsheet><table:table table:name="S">' +
          '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2" ' +
          'office:value-type="float" office:value="0"/><table:table-cell table:number-columns-repeated="1000"/>' +
          '</table:table-row>' +
          '<table:table-row><table:table-cell/><table:table-cell office:value-type="string">' +
          '<text:p>Red<text:s text:c="2"/>dot</text:p><text:p>note <text:span>1</text:span></text:p>' +
          '</table:table-cell></table:table-row>' +
          '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>' +
          '</table:table></office:spreadsheet>',
      ),
    )
    expect(sheets[0]?.rows).toEqual([
      [0, 0],
      [0, 0],
      [null, 'Red  dot\nnote 1'],
    ])
  })

  it('refuses files that are not spreadsheets, saying why', () => {
    expect(() => readOds(strToU8('Police force,Total\n'))).toThrow(/not a zip archive/)
    const textDocument = odsFromContent('<office:text/>', 'application/vnd.oasis.opendocument.text')
    expect(() => readOds(textDocument)).toThrow(/it says it is application\/vnd.oasis.opendocument.text/)
    const noMimetype = zipSync({ 'content.xml': strToU8('<x/>') })
    expect(() => readOds(noMimetype)).toThrow(/no mimetype entry/)
    expect(() => readOds(odsFromContent('<office:spreadsheet><table:table>'))).toThrow(UnreadableWorkbookError)
    expect(() => readOds(odsFromContent('<office:spreadsheet/>'))).toThrow(/no sheets/)
  })
})
