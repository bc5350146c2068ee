import http from 'node:http'

/**
 * A minimal keep-alive HTTP/1.1 client on node:http: one socket per worker, reused, no pipelining. Measured against
 * undici's Pool on this machine it costs about the same client CPU per request (see bench/README.md), and it needs no
 * dependency.
 */
export interface HttpResponse {
  status: number
  body: string
  headers: http.IncomingHttpHeaders
  /** The Set-Cookie headers, for clients that keep a session. */
  setCookie: string[]
}

export class KeepAliveClient {
  readonly #agent: http.Agent
  readonly #host: string
  readonly #port: number

  constructor(origin: string, connections: number) {
    const url = new URL(origin)
    this.#host = url.hostname
    this.#port = Number(url.port)
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections })
  }

  request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.#agent,
          host: this.#host,
          port: this.#port,
          method,
          path,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
              setCookie: res.headers['set-cookie'] ?? [],
            }),
          )
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  close(): void {
    this.#agent.destroy()
  }
}
