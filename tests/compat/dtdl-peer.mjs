// The official DTDL parser (digitaltwinconsortium/DTDLParser, compiled to WebAssembly in @digicatapult/dtdl-parser)
// as a verdict server: one JSON request per stdin line, one JSON answer per stdout line, in order, so that the
// WebAssembly start-up is paid once for many document sets.
//
//   in:  {"id": 7, "documents": ["<exact JSON text of document 1>", "<document 2>", ...]}
//   out: {"id": 7, "valid": false, "kind": "Parsing", "errors": [{"cause": "...", "validationId": "...", ...}]}
//
// The first line written is {"ready": true, "parser": "<DTDLParser version>"}. A request line that is not JSON gets
// {"id": null, "error": "..."}. The parser runs with its default options (new ModelParser()): for example, undefined
// extensions are accepted in DTDL v2 and refused in v3 and v4, and no resolver is set, so a reference to a DTMI that
// no document defines is a "Resolution" failure.
//
// The interop takes one JSON text, so a set of several documents is joined textually into one root array: an object
// document becomes one element, an array document contributes its elements (its outer brackets are dropped), the texts
// themselves untouched (duplicate member names and number forms reach the parser as written). What this cannot express:
// which document an element came from (only error locations depend on it), and a document that is not JSON on its own,
// which is therefore given to the parser alone (its verdict is that document's syntax error). A single document is
// passed exactly as it is; an empty set is parsed as "[]" (no elements, as the parser's Parse of no texts).
import readline from 'node:readline'
import { getInterop } from '@digicatapult/dtdl-parser'

const parser = await getInterop()
const write = (answer) => process.stdout.write(JSON.stringify(answer) + '\n')

/** The one JSON text the interop parses for a document set, or the text of a document that is not JSON by itself. */
function joined(documents) {
  if (documents.length === 0) return '[]'
  if (documents.length === 1) return documents[0]
  for (const text of documents) {
    try { JSON.parse(text) } catch { return text }
  }
  const parts = []
  for (const text of documents) {
    const trimmed = text.trim()
    if (trimmed.startsWith('[')) {
      const inner = trimmed.slice(1, -1)
      if (inner.trim().length > 0) parts.push(inner)
    } else {
      parts.push(trimmed)
    }
  }
  return '[' + parts.join(',') + ']'
}

/** The parser's verdict: it returns the object model, or throws an Error whose message is a JSON report (or a bare .NET message). */
function verdict(text) {
  try {
    parser.parse(text)
    return { valid: true, kind: null, errors: [] }
  } catch (e) {
    const message = String(e && e.message !== undefined ? e.message : e)
    let report = null
    try { report = JSON.parse(message) } catch { }
    if (report && Array.isArray(report.UndefinedIdentifiers)) {
      // No resolver is set: the set names DTMIs that none of its documents defines.
      return {
        valid: false,
        kind: report.ExceptionKind ?? 'Resolution',
        errors: report.UndefinedIdentifiers.map((id) => ({ cause: `'${id}' is referenced but not defined in the set`, validationId: null, primaryId: null, property: null, value: id })),
      }
    }
    if (report && Array.isArray(report.Errors)) {
      return {
        valid: false,
        kind: report.ExceptionKind ?? 'Parsing',
        errors: report.Errors.map((x) => ({
          cause: x.Cause ?? null,
          validationId: x.ValidationID ?? null,
          primaryId: x.PrimaryID ?? null,
          property: x.Property ?? null,
          value: x.Value ?? null,
        })),
      }
    }
    // A .NET exception without a DTDL report: a JSON syntax error (System.Text.Json's message) or a fault in the parser.
    return { valid: false, kind: 'Exception', errors: [{ cause: message }] }
  }
}

write({ ready: true, parser: parser.parserVersion() })
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (line.trim().length === 0) continue
  let request
  try {
    request = JSON.parse(line)
  } catch (e) {
    write({ id: null, error: `the request is not JSON: ${e.message}` })
    continue
  }
  if (!request || !Array.isArray(request.documents) || !request.documents.every((d) => typeof d === 'string')) {
    write({ id: request?.id ?? null, error: 'a request needs "documents": an array of JSON texts (strings)' })
    continue
  }
  write({ id: request.id ?? null, ...verdict(joined(request.documents)) })
}
