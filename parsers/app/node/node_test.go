package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func parseString(t *testing.T, name, src string) *Result {
	t.Helper()
	return Parse(parsers.NewFile(name, "/x/"+name, "/x", "", []byte(src)))
}

// check compares the dump of a result, one fact a line, with want.
func check(t *testing.T, got *Result, want string) {
	t.Helper()
	g := strings.TrimSpace(dump(got))
	if g != strings.TrimSpace(want) {
		t.Errorf("got:\n%s\nwant:\n%s", g, strings.TrimSpace(want))
	}
}

func TestExpressDefaults(t *testing.T) {
	r := parseString(t, "app.js", `const express = require('express');
const app = express();
const port = 3001;
app.use(express.json());
app.listen(port, () => console.log('up'));
`)
	check(t, r, `
server express app.js:5:1 target="" note=""
  listen app.js:5:1 port=3001 [app.js:3:14 "port"]
body express.json app.js:4:9`)
}

func TestKeepAliveFolding(t *testing.T) {
	r := parseString(t, "server.js", `import http from 'node:http';
const SECOND = 1_000;
const KEEP = 65 * SECOND;
const server = http.createServer(handler);
server.keepAliveTimeout = KEEP;
server.headersTimeout = KEEP + 0x3e8;
server.requestTimeout = 2 ** 1024 * 2;
server.listen(8080);
`)
	check(t, r, `
server http.createServer server.js:4:16 target="server" note=""
  listen server.js:8:1 port=8080 [server.js:8:15 "8080"]
  keepAliveTimeout server.js:5:1 = 65000 [server.js:3:14 "KEEP"]
  headersTimeout server.js:6:1 = 66000 [server.js:6:25 "KEEP + 0x3e8"]
  requestTimeout server.js:7:1 = unknown(the arithmetic overflows or is not a number) [server.js:7:25 "2 ** 1024 * 2"]`)
}

func TestEnvFallbacks(t *testing.T) {
	r := parseString(t, "s.js", `const http = require('http');
const s = http.createServer();
s.keepAliveTimeout = Number(process.env.KEEP_ALIVE ?? 65000);
s.headersTimeout = parseInt(process.env.HEADERS || '66000', 10);
s.requestTimeout = process.env.REQ ? Number(process.env.REQ) : 300_000;
s.keepAliveTimeout = Number(process.env['KA']) || 70000;
`)
	check(t, r, `
server http.createServer s.js:2:11 target="s" note=""
  keepAliveTimeout s.js:3:1 = env KEEP_ALIVE number ?? 65000 [s.js:3:55 "65000"] [s.js:3:22 "Number(process.env.KEEP_ALIVE ?? 65000)"]
  headersTimeout s.js:4:1 = env HEADERS number || 66000 [s.js:4:52 "'66000'"] [s.js:4:20 "parseInt(process.env.HEADERS || '66000', 10)"]
  requestTimeout s.js:5:1 = env REQ number ?: 300000 [s.js:5:64 "300_000"] [s.js:5:20 "process.env.REQ ? Number(process.env.REQ) : 300_000"]
  keepAliveTimeout s.js:6:1 = env KA number || 70000 [s.js:6:51 "70000"] [s.js:6:22 "Number(process.env['KA']) || 70000"]`)
	ka := r.Servers[0].Setting("keepAliveTimeout").Value
	if v, ok := ka.Resolve(func(string) (string, bool) { return "", false }); !ok || v.Number != 70000 {
		t.Errorf("unset KA: got %+v %v", v, ok)
	}
	if v, ok := ka.Resolve(func(string) (string, bool) { return "61000", true }); !ok || v.Number != 61000 {
		t.Errorf("KA=61000: got %+v %v", v, ok)
	}
	if v, ok := ka.Resolve(func(string) (string, bool) { return "abc", true }); !ok || v.Number != 70000 {
		t.Errorf("KA=abc: Number('abc') is NaN, so || takes 70000: got %+v %v", v, ok)
	}
	// parseInt(process.env.HEADERS || '66000', 10): the fallback applies to
	// the string, before parseInt; a non-number stays unknown.
	hd := r.Servers[0].Setting("headersTimeout").Value
	if v, ok := hd.Resolve(func(string) (string, bool) { return "", true }); !ok || v.Number != 66000 {
		t.Errorf("HEADERS='': got %+v %v", v, ok)
	}
	if v, ok := hd.Resolve(func(string) (string, bool) { return "abc", true }); ok {
		t.Errorf("HEADERS=abc: parseInt gives NaN, not the fallback: got %+v", v)
	}
	if _, ok := ka.Resolve(nil); ok {
		t.Error("an unknown environment must leave the value unknown")
	}
}

func TestConstantCycle(t *testing.T) {
	r := parseString(t, "c.js", `const http = require('http');
const s = http.createServer();
const a = b; const b = a;
s.keepAliveTimeout = a;
`)
	ka := r.Servers[0].Setting("keepAliveTimeout")
	if ka == nil || ka.Value.Kind != Unknown || !strings.Contains(ka.Value.Reason, "through itself") {
		t.Fatalf("got %+v", ka)
	}
}

func TestFastify(t *testing.T) {
	r := parseString(t, "f.mjs", `import Fastify from 'fastify'
const app = Fastify({ logger: true, keepAliveTimeout: 65_000, connectionTimeout: 30e3, bodyLimit: 10 * 1024 * 1024 })
await app.listen({ port: 3000, host: '0.0.0.0' })
`)
	check(t, r, `
server fastify f.mjs:2:13 target="app" note=""
  listen f.mjs:3:7 port=3000 [f.mjs:3:26 "3000"]
  keepAliveTimeout f.mjs:2:37 = 65000 [f.mjs:2:55 "65_000"]
  connectionTimeout f.mjs:2:63 = 30000 [f.mjs:2:82 "30e3"]
  bodyLimit f.mjs:2:88 = 1.048576e+07 [f.mjs:2:99 "10 * 1024 * 1024"]`)
}

// A NestJS main.ts with decorators, generics and type annotations: the
// positions are the TypeScript file's own.
func TestNestTypeScript(t *testing.T) {
	r := parseString(t, "src/main.ts", `import { NestFactory } from '@nestjs/core';
import { Module, Controller, Get } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller()
class AppController<T extends object = {}> {
  constructor(@Inject('X') private readonly x: Map<string, T>) {}
  @Get() hello(): string { return 'hi' as const; }
}

@Module({ controllers: [AppController] })
class AppModule {}

const KEEP_ALIVE: number = 65 * 1000;

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  app.useBodyParser('json', { limit: '10mb' });
  const server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE;
  server.headersTimeout = <number>(KEEP_ALIVE + 1000);
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
`)
	check(t, r, `
server nestjs src/main.ts:17:21 target="app" note=""
  listen src/main.ts:22:9 port=env PORT ?? 3000 [src/main.ts:22:40 "3000"] [src/main.ts:22:20 "process.env.PORT ?? 3000"]
  keepAliveTimeout src/main.ts:20:3 = 65000 [src/main.ts:14:28 "KEEP_ALIVE"]
  headersTimeout src/main.ts:21:3 = 66000 [src/main.ts:21:36 "KEEP_ALIVE + 1000"]
body nestjs useBodyParser(json) src/main.ts:18:3 limit="10mb" [src/main.ts:18:31 "'10mb'"]`)
	lim, ok := r.BodyParsers[0].Limit.Bytes()
	if !ok || lim != 10<<20 {
		t.Errorf("10mb = %d %v", lim, ok)
	}
}

func TestBodyParserLimits(t *testing.T) {
	r := parseString(t, "b.js", `const bodyParser = require('body-parser')
const express = require('express')
const LIMIT = '2mb'
app.use(bodyParser.json({ limit: LIMIT }))
app.use(bodyParser.urlencoded({ extended: true, limit: 1024 }))
app.use(express.raw(opts))
`)
	check(t, r, `
body bodyParser.json b.js:4:9 limit="2mb" [b.js:4:27 "LIMIT"]
body bodyParser.urlencoded b.js:5:9 limit=1024 [b.js:5:49 "1024"]
body express.raw b.js:6:9 limit=unknown(the options are computed at run time) [b.js:6:9 "opts"]`)
}

func TestNotInteresting(t *testing.T) {
	if Interesting([]byte("export const x = 1;\nfunction f() { return 2 }\n")) {
		t.Error("a file without server names must be skipped")
	}
	r := parseString(t, "bad.js", "const express = require('express');\napp.listen(((\n")
	if len(r.Problems) != 1 || r.Problems[0].Kind != parsers.ProblemParse || r.Problems[0].Range.Start.Line != 3 {
		t.Errorf("got %+v", r.Problems)
	}
	r = parseString(t, "bad.ts", "const express = require('express');\nlet x: = 1;\n")
	if len(r.Problems) != 1 || r.Problems[0].Range.Start.Line != 2 {
		t.Errorf("got %+v", r.Problems)
	}
}

func TestJSXInJS(t *testing.T) {
	r := parseString(t, "ssr.js", "import express from 'express'\nconst app = express()\nconst page = () => <div a=\"1\">hi</div>\napp.listen(80)\n")
	check(t, r, `
server express ssr.js:4:1 target="" note=""
  listen ssr.js:4:1 port=80 [ssr.js:4:12 "80"]`)
}

// The corpus files named in issue 22: what each says, with its ranges.
func TestCorpus(t *testing.T) {
	const c = "../../../../shared/corpus/"
	if _, err := os.Stat(c); err != nil {
		t.Skip("no corpus")
	}
	for _, tc := range []struct{ path, want string }{
		// keepAliveTimeout and headersTimeout come from config.server,
		// built in create-config.ts by calls (secondsToMilliseconds,
		// parseEnvVarNumber): unknown here; the server is made by app.listen
		// of an app from another file, so it is unseen.
		{"Unleash__unleash/src/lib/server-impl.ts", `
server unseen Unleash__unleash/src/lib/server-impl.ts:384:13 target="server" note=""
  keepAliveTimeout Unleash__unleash/src/lib/server-impl.ts:384:13 = unknown(read from ` + "`config.server`" + ` at run time, an object this file does not build from literals) [Unleash__unleash/src/lib/server-impl.ts:384:39 "config.server.keepAliveTimeout"]
  headersTimeout Unleash__unleash/src/lib/server-impl.ts:385:13 = unknown(read from ` + "`config.server`" + ` at run time, an object this file does not build from literals) [Unleash__unleash/src/lib/server-impl.ts:385:37 "config.server.headersTimeout"]`},
		{"Unleash__unleash/src/lib/app.ts", `
body express.json Unleash__unleash/src/lib/app.ts:90:9 limit="500kB" [Unleash__unleash/src/lib/app.ts:90:39 "'500kB'"]
body express.json Unleash__unleash/src/lib/app.ts:95:13
body express.urlencoded Unleash__unleash/src/lib/app.ts:102:13`},
		{"aws-samples__amazon-ecs-fullstack-app-terraform/Code/server/src/app.js", `
server express aws-samples__amazon-ecs-fullstack-app-terraform/Code/server/src/app.js:90:1 target="" note=""
  listen aws-samples__amazon-ecs-fullstack-app-terraform/Code/server/src/app.js:90:1 port=3001 [aws-samples__amazon-ecs-fullstack-app-terraform/Code/server/src/app.js:8:14 "port"]`},
		{"socketio__socket.io/examples/cluster-nginx/server/index.js", `
server http.createServer socketio__socket.io/examples/cluster-nginx/server/index.js:3:16 target="server" note=""
  listen socketio__socket.io/examples/cluster-nginx/server/index.js:15:1 port=env PORT || 3000 [socketio__socket.io/examples/cluster-nginx/server/index.js:7:34 "3000"] [socketio__socket.io/examples/cluster-nginx/server/index.js:7:14 "port"]
socket.io socketio__socket.io/examples/cluster-nginx/server/index.js:4:12`},
	} {
		data, err := os.ReadFile(filepath.Join(c, tc.path))
		if err != nil {
			t.Fatal(err)
		}
		r := Parse(parsers.NewFile(tc.path, "/"+tc.path, "/", "", data))
		check(t, r, tc.want)
	}
}

// Standard decorators in expression position, which TypeScript's legacy
// decorators refuse: the file is still read.
func TestStandardDecorators(t *testing.T) {
	r := parseString(t, "srv.ts", `import http from 'http';
const Tagged = @logged class { accessor n = 1; };
const s = http.createServer();
s.keepAliveTimeout = 61_000;
`)
	check(t, r, `
server http.createServer srv.ts:3:11 target="s" note=""
  keepAliveTimeout srv.ts:4:1 = 61000 [srv.ts:4:22 "61_000"]`)
}

// Socket.IO servers, in the shapes its docs and real apps use: the
// module called with the HTTP server, the named Server class with an
// options object (inline or a const), and an ES default import.
func TestSocketIO(t *testing.T) {
	r := parseString(t, "index.js", `var express = require('express');
var app = express();
var server = require('http').createServer(app);
var io = require('socket.io')(server);
server.listen(3000);
`)
	check(t, r, `
server http.createServer index.js:3:14 target="server" note=""
  listen index.js:5:1 port=3000 [index.js:5:15 "3000"]
socket.io index.js:4:10`)

	r = parseString(t, "server.mjs", `import { createServer } from "node:http";
import { Server } from "socket.io";
const httpServer = createServer();
const opts = { pingInterval: 10_000, cors: { origin: "*" } };
const io = new Server(httpServer, opts);
const other = new Server(3001, { pingTimeout: 5000, pingInterval: 70 * 1000 });
httpServer.listen(3000);
`)
	// createServer() and new Server(httpServer, opts) hold no literal of
	// their own to place them by: the server falls back to the file's
	// start, the Socket.IO server to the "socket.io" import.
	check(t, r, `
server http.createServer server.mjs:1:1 target="httpServer" note=""
  listen server.mjs:7:1 port=3000 [server.mjs:7:19 "3000"]
socket.io server.mjs:2:25
  pingInterval server.mjs:4:16 = 10000 [server.mjs:4:30 "10_000"]
socket.io server.mjs:6:26
  pingTimeout server.mjs:6:34 = 5000 [server.mjs:6:47 "5000"]
  pingInterval server.mjs:6:53 = 70000 [server.mjs:6:67 "70 * 1000"]`)
}
