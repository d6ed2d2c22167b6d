package rules

import "strings"

// OpenAPI examples: a spec next to the nginx that serves it.

const streamExample = `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        server_name api.example.com;
        location /events {
            proxy_pass http://127.0.0.1:8000;
        }
    }
}
-- openapi.yaml --
openapi: 3.0.3
info: {title: events, version: "1"}
servers:
  - url: https://api.example.com
paths:
  /events:
    get:
      responses:
        "200":
          description: a stream of events
          content:
            text/event-stream:
              schema: {type: string}
`

const specUploadExample = `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        server_name api.example.com;
        location /upload {
            client_max_body_size 5m;
            proxy_pass http://127.0.0.1:8000;
        }
        location /tiles/ {
            proxy_pass http://127.0.0.1:8000;
        }
    }
}
-- openapi.yaml --
openapi: 3.0.3
info: {title: files, version: "1"}
servers:
  - url: https://api.example.com
paths:
  /upload:
    post:
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary, maxLength: 20971520}
      responses:
        "200": {description: ok}
  /tiles/{z}/{x}/{y}.png:
    get:
      responses:
        "200": {description: a tile}
`

func init() {
	streamCutByTimeout.Examples = append(streamCutByTimeout.Examples,
		Example{Name: "SSE route behind nginx defaults", Bad: true, Archive: streamExample},
		Example{Name: "a location for the stream with a long read timeout", Archive: strings.Replace(streamExample,
			"proxy_pass http://127.0.0.1:8000;", "proxy_read_timeout 1h;\n            proxy_buffering off;\n            proxy_pass http://127.0.0.1:8000;", 1)})
	bodySizeOrder.Examples = append(bodySizeOrder.Examples,
		Example{Name: "spec declares 20 MiB uploads, nginx accepts 5m", Bad: true, Archive: specUploadExample},
		Example{Name: "nginx accepts what the spec declares", Archive: strings.Replace(specUploadExample, "client_max_body_size 5m", "client_max_body_size 20m", 1)})
	missingBodySizeLimit.Examples = append(missingBodySizeLimit.Examples,
		Example{Name: "a spec says the location's routes take no body", Archive: specUploadExample})
}
