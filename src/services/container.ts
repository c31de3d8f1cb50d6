import { join, resolve } from 'node:path';
import { ImageryTiler } from '../raster/imagery-tiles.ts';
import { ThreadPool } from '../threads/pool.ts';
import type { Db } from '../store/db.ts';
import { EvidenceFiles } from '../store/field-evidence-files.ts';
import { ScopedStore } from '../store/scoped-store.ts';
import type { Principal } from '../store/users.ts';
import { AccountService } from './accounts.ts';
import { AnalysisService } from './analysis.ts';
import { AreaService } from './areas.ts';
import { AuthService, type AuthPolicy } from './auth.ts';
import { CaseService } from './cases.ts';
import { ChipFiles } from './chips.ts';
import { DetectionService } from './detection.ts';
import { DetectionLearningService } from './detection-learning.ts';
import { DossierBatchService } from './dossier-batch.ts';
import { DocumentService } from './documents.ts';
import { ExchangeService } from './exchange.ts';
import { DossierService } from './dossier.ts';
import { ExportService } from './exports.ts';
import { FieldLeadService } from './field-leads.ts';
import { FieldService } from './field.ts';
import { HealthService } from './health.ts';
import { parseImageryAllow, type ImageryAllowList } from './imagery-allow.ts';
import { ImageryService } from './imagery.ts';
import { ImportService } from './imports.ts';
import { InboxService } from './inbox.ts';
import { cleanTipPhotosOn } from './tip-intake.ts';
import { IntakeService } from './intake.ts';
import { MonitoringService } from './monitoring.ts';
import { RecheckService } from './recheck.ts';
import {
  DEFAULT_STAC_POLICY,
  parseStacCatalogs,
  StacIntakeService,
  type StacPolicy,
} from './stac-intake.ts';
import { NoticeService } from './notices.ts';
import {
  DEFAULT_WEBHOOK_POLICY,
  parseWebhookAllow,
  WebhookSender,
  type WebhookPolicy,
} from './webhooks.ts';
import { JobService } from './jobs.ts';
import { OversightService } from './oversight.ts';
import { OgcService } from './ogc.ts';
import { SanctionService } from './oversight-sanctions.ts';
import { LeadService } from './leads.ts';
import { RegisterService } from './registers.ts';
import { ScorecardService } from './scorecards.ts';
import { ReportService } from './reports.ts';

/** What the application is built from; tests pass their own (in-memory db, fixed clock). */
export interface ServiceDeps {
  db: Db;
  /** GENGBAO_DATA_DIR: imagery, evidence photos (`evidence/`), detection chips (`chips/`). */
  dataDir: string;
  now?: () => Date;
  /** Session length and login throttling (GENGBAO_SESSION_HOURS, GENGBAO_LOGIN_*). */
  authPolicy?: AuthPolicy;
  /** GENGBAO_IMAGERY_ALLOW: folders and http(s) origins jobs may read imagery from; absent: registered scenes only. */
  imageryAllow?: string;
  /** GENGBAO_INCOMING_DIR: the watched folder of the scene intake; absent: `<dataDir>/incoming`. */
  incomingDir?: string;
  /** GENGBAO_STAC_CATALOGS: STAC catalogs the intake polls (each allowed by GENGBAO_IMAGERY_ALLOW); absent: none. */
  stacCatalogs?: string;
  /** Limits of the STAC intake (GENGBAO_STAC_MAX_ASSET_MB sets maxAssetBytes; tests shorten the rest). */
  stacPolicy?: Partial<StacPolicy>;
  /** GENGBAO_WEBHOOK_ALLOW: the http(s) origins webhooks may be sent to; absent: none. */
  webhookAllow?: string;
  /** Retry timing of webhooks (tests shorten it). */
  webhookPolicy?: WebhookPolicy;
}

/** Every use case of Gengbao, wired once per process. */
export interface Services {
  readonly now: () => Date;
  /** Where jobs may read imagery named by path or URL (GENGBAO_IMAGERY_ALLOW). */
  readonly imageryAllow: ImageryAllowList;
  readonly auth: AuthService;
  readonly accounts: AccountService;
  readonly cases: CaseService;
  readonly inbox: InboxService;
  readonly field: FieldService;
  readonly fieldLeads: FieldLeadService;
  readonly imagery: ImageryService;
  readonly imports: ImportService;
  readonly exports: ExportService;
  readonly jobs: JobService;
  readonly health: HealthService;
  readonly analysis: AnalysisService;
  readonly detection: DetectionService;
  /** Detection models adapted to the installation's verdicts (detection.learn), their history. */
  readonly learning: DetectionLearningService;
  readonly areas: AreaService;
  /** Indicators (违法占用耕地面积比例) and year-end sanctions (quota ledger, 补划). */
  readonly oversight: OversightService;
  readonly sanctions: SanctionService;
  /** Registers across cases, accountability measures, leads from above, scorecards. */
  readonly registers: RegisterService;
  readonly leads: LeadService;
  readonly scorecards: ScorecardService;
  /** Statistical reports (统计报表) as xlsx and PDF. */
  readonly reports: ReportService;
  /** The 图斑 dossier (图斑档案) as PDF. */
  readonly dossiers: DossierService;
  /** Enforcement documents (执法文书) from the province's templates, numbered and recorded. */
  readonly documents: DocumentService;
  /** Exchange with the province's 卫片执法 platform: its field names and codes, out and back. */
  readonly exchange: ExchangeService;
  /** Dossiers of many 图斑 at once, as a zip. */
  readonly dossierBatches: DossierBatchService;
  /** OGC API – Features: collections and feature pages in a caller's scope. */
  readonly ogc: OgcService;
  /** The monitoring loop: scenes from the watched folder, scheduled runs, notices and webhooks (issue 24). */
  readonly intake: IntakeService;
  /** Scenes from the STAC catalogs of GENGBAO_STAC_CATALOGS, polled by the same loop. */
  readonly stacIntake: StacIntakeService;
  readonly monitoring: MonitoringService;
  /** Rectification re-checked on each new scene (monitoring.recheck). */
  readonly recheck: RecheckService;
  readonly notices: NoticeService;
  readonly webhooks: WebhookSender;
  /** The store bound to a caller's jurisdiction: the reads a route makes in their scope. */
  scopedStore(p: Principal): ScopedStore;
  /** Closes what the services hold open (imagery files); the database stays the caller's. */
  close(): Promise<void>;
}

/** The defaults of the environment (src/config/env.ts), for processes that serve no logins. */
const DEFAULT_AUTH_POLICY: AuthPolicy = { sessionHours: 12, maxFailures: 5, windowMinutes: 15 };

/**
 * The composition root: builds every service over one database, one clock, one data folder
 * and one imagery tiler. `gengbao start`, `gengbao worker`, the CLI commands and the test
 * server each call it once; a process that runs jobs connects its runner with `jobs.connect`.
 */
export function buildServices(deps: ServiceDeps): Services {
  const { db, dataDir } = deps;
  const now = deps.now ?? (() => new Date());
  const tiler = new ImageryTiler();
  // One thread for decoding public tips' photos (started on the first tip with photos).
  const photoThreads = new ThreadPool(1);
  const evidence = new EvidenceFiles(join(dataDir, 'evidence'));
  const cases = new CaseService(db, now);
  const imagery = new ImageryService(db, tiler);
  const jobs = new JobService(db);
  const imageryAllow = parseImageryAllow(deps.imageryAllow);
  const webhookAllow = parseWebhookAllow(deps.webhookAllow);
  const learning = new DetectionLearningService(db, now);
  const detection = new DetectionService(
    db,
    new ChipFiles(resolve(dataDir, 'chips')),
    now,
    imageryAllow,
    learning,
  );
  const analysis = new AnalysisService(db, cases);
  return {
    now,
    imageryAllow,
    accounts: new AccountService(db),
    auth: new AuthService(db, deps.authPolicy ?? DEFAULT_AUTH_POLICY, now),
    cases,
    inbox: new InboxService(db, now),
    field: new FieldService(db, evidence, cases, now, (uri, t) => imagery.renderTile(uri, t)),
    fieldLeads: new FieldLeadService(db, evidence, cases, now, cleanTipPhotosOn(photoThreads)),
    imagery,
    imports: new ImportService(db, now),
    exports: new ExportService(db, now),
    jobs,
    health: new HealthService(db, jobs, now),
    analysis,
    detection,
    learning,
    areas: new AreaService(db),
    oversight: new OversightService(db),
    sanctions: new SanctionService(db, now),
    registers: new RegisterService(db, now),
    leads: new LeadService(db, evidence, cases, now),
    scorecards: new ScorecardService(db, now),
    reports: new ReportService(db, now),
    dossiers: new DossierService(
      db,
      new ChipFiles(resolve(dataDir, 'chips')),
      evidence,
      (uri, t) => imagery.renderTile(uri, t),
      now,
    ),
    documents: new DocumentService(db, evidence, now),
    exchange: new ExchangeService(db, now),
    dossierBatches: new DossierBatchService(
      db,
      new DossierService(
        db,
        new ChipFiles(resolve(dataDir, 'chips')),
        evidence,
        (uri, t) => imagery.renderTile(uri, t),
        now,
      ),
    ),
    ogc: new OgcService(db),
    intake: new IntakeService(db, deps.incomingDir ?? join(dataDir, 'incoming'), now),
    stacIntake: new StacIntakeService(
      db,
      parseStacCatalogs(deps.stacCatalogs, imageryAllow),
      imageryAllow,
      resolve(dataDir, 'imagery', 'stac'),
      now,
      { ...DEFAULT_STAC_POLICY, ...deps.stacPolicy },
    ),
    monitoring: new MonitoringService(db, { cases, detection, analysis, jobs }, now),
    recheck: new RecheckService(db, { cases, jobs }, resolve(dataDir, 'rechecks'), now),
    notices: new NoticeService(db, webhookAllow, now),
    webhooks: new WebhookSender(
      db,
      webhookAllow,
      now,
      deps.webhookPolicy ?? DEFAULT_WEBHOOK_POLICY,
    ),
    scopedStore: (p) => new ScopedStore(db, p),
    close: async () => {
      await Promise.all([tiler.close(), photoThreads.close()]);
    },
  };
}
