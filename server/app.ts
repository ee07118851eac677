/**
 * createApp(deps): the whole HTTP application, with no globals, so that tests drive it through
 * supertest and main.ts only adds a port. Middleware order matters and is commented where it does.
 */

import path from "node:path";
import { fileURLToPath } from "node:url";
import ejs from "ejs";
import express, { type Express } from "express";
import session from "express-session";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { IDLE_SESSION_MS, sessionUser, unlessBearerApi } from "./auth.ts";
import { type AppDeps, buildServices, type Services } from "./context.ts";
import { createCsrf } from "./csrf.ts";
import { errorHandler } from "./errors.ts";
import { createI18n, handleLanguage, rememberLanguage } from "./i18n.ts";
import { createLimits } from "./rate-limits.ts";
import { apiRouter } from "./routes/api/index.ts";
import { healthRoute } from "./routes/health.ts";
import { pageRouter } from "./routes/pages/index.ts";
import { GlosaSessionStore } from "./session-store.ts";
import { VIEW_OPTIONS, viewHelpers } from "./views.ts";
import { wellFormedUrl } from "./well-formed.ts";

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface GlosaApp extends Express {
  services: Services;
  /** Stops timers and the parser threads; the store is closed by its owner. */
  shutdown(): Promise<void>;
}

export function createApp(deps: AppDeps): GlosaApp {
  const { config, logger } = deps;
  const services = buildServices(deps);
  const i18n = createI18n();
  const app = express() as unknown as GlosaApp;
  // One set of counters for the pages and the API: a sign-in is a sign-in, whichever door.
  const limits = createLimits(config, deps.store);
  app.services = services;
  // Built in slices while the server already answers; lookups wait for it.
  services.memory
    .start()
    .catch((error: unknown) => logger.error({ err: error }, "translation memory build failed"));

  app.set("views", path.join(ROOT, "views"));
  app.set("view engine", "ejs");
  app.set("view cache", config.env !== "development");
  // EJS 7 no longer reads Express's "view options": pass ours to every render.
  app.engine("ejs", (file, data, done) => {
    ejs.renderFile(
      file,
      data,
      { ...VIEW_OPTIONS, cache: config.env !== "development" },
      done as (e: Error | null, s?: string) => void,
    );
  });
  app.set("trust proxy", config.trustProxy);
  app.disable("x-powered-by");

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'"],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "upgrade-insecure-requests": config.env === "production" ? [] : null,
        },
      },
      strictTransportSecurity: config.env === "production",
      // Our own pages learn which page a form came from (a signed-out post's way back, keepUnsentForm);
      // no other site is told anything.
      referrerPolicy: { policy: "same-origin" },
    }),
  );
  if (config.logLevel !== "silent") {
    app.use(
      pinoHttp({
        logger,
        redact: [
          "req.headers.authorization",
          "req.headers.cookie",
          // A page's CSRF token with its session cookie lets a request act as the user (a trial found it logged).
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        autoLogging: { ignore: (req) => req.url === "/healthz" || (req.url ?? "").startsWith("/static/") },
      }),
    );
  }
  app.use(
    "/static",
    express.static(path.join(ROOT, "public"), { maxAge: config.env === "production" ? "1h" : 0 }),
  );
  app.get("/healthz", healthRoute(deps.store, logger));
  app.use(handleLanguage(i18n));
  app.use(rememberLanguage(config.env === "production"));

  const sessionStore = new GlosaSessionStore(deps.store, IDLE_SESSION_MS);
  app.use(
    unlessBearerApi(
      session({
        name: "glosa.sid",
        secret: deps.sessionSecret,
        store: sessionStore,
        resave: false,
        saveUninitialized: false,
        rolling: true,
        cookie: {
          httpOnly: true,
          sameSite: "lax",
          secure: config.env === "production",
          maxAge: IDLE_SESSION_MS,
        },
      }),
    ),
  );
  app.use(unlessBearerApi(sessionUser(services.accounts)));
  const csrf = createCsrf();
  // After the session: the page scripts call the API as the signed-in user (with X-CSRF-Token). The API
  // counts each request itself once its caller is known, so it comes before the pages' count.
  // A path or query no store can hold is answered before any router reads it (the pages' guard below
  // is the same one, after the view helpers that its error page needs).
  app.use("/api/v1", wellFormedUrl, apiRouter(services, config, csrf, limits));
  app.use("/api", (_req, res) => {
    res.status(404).json({ error: { code: "not_found", message: "No such API route." } });
  });
  // Counted after sessionUser: per user when signed in, per address before.
  app.use(limits.requests.count);
  app.use(viewHelpers(config, csrf));
  app.use(wellFormedUrl);
  app.use(pageRouter({ services, config, csrf, limits }));
  app.use((req, res) => {
    res.status(404).render("error", {
      status: 404,
      code: "not_found",
      message: req.t("error.not_found"),
      title: req.t("error.title_404"),
    });
  });
  app.use(errorHandler(logger));

  app.shutdown = async () => {
    sessionStore.close();
    services.live.close();
    await services.pretranslate.close();
    services.mt.close();
    await services.translations.idle();
    await services.parse.close();
    await services.memory.close();
  };
  return app;
}
