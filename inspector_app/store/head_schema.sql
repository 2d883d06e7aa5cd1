-- workspace schema at revision 0008_pinyin, written by `python -m inspector_app.store.migrate`
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE attachment (
	sha256 VARCHAR(64) NOT NULL, 
	kind VARCHAR NOT NULL, 
	mime VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	original_name VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (sha256)
);
CREATE TABLE category (
	name VARCHAR NOT NULL, 
	sort_order INTEGER NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE grid (
	name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	sort_order INTEGER NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	entity VARCHAR NOT NULL, 
	entity_id VARCHAR NOT NULL, 
	account VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	state VARCHAR NOT NULL, 
	attempts INTEGER NOT NULL, 
	last_error VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_outbox_entity_id ON outbox (entity_id);
CREATE INDEX ix_outbox_state ON outbox (state);
CREATE TABLE setting (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE team (
	name VARCHAR NOT NULL, 
	leader VARCHAR NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE enterprise (
	id INTEGER NOT NULL, 
	credit_code VARCHAR(18) NOT NULL, 
	name VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	grid VARCHAR, 
	category VARCHAR, 
	industry VARCHAR NOT NULL, 
	size_class VARCHAR NOT NULL, 
	legal_representative VARCHAR NOT NULL, 
	contact VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	staff_total INTEGER, 
	staff_on_site INTEGER, 
	resumption_status VARCHAR NOT NULL, 
	extra_json VARCHAR NOT NULL, 
	search_text VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	updated_at DATETIME NOT NULL, pinyin_text VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(category) REFERENCES category (name), 
	FOREIGN KEY(grid) REFERENCES grid (name), 
	UNIQUE (credit_code)
);
CREATE INDEX ix_enterprise_category ON enterprise (category);
CREATE INDEX ix_enterprise_grid ON enterprise (grid);
CREATE INDEX ix_enterprise_resumption_status ON enterprise (resumption_status);
CREATE TABLE inspector (
	badge_number VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	team VARCHAR, 
	role VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (badge_number), 
	FOREIGN KEY(team) REFERENCES team (name)
);
CREATE TABLE assignment (
	enterprise_id INTEGER NOT NULL, 
	team VARCHAR NOT NULL, 
	visits_per_week INTEGER NOT NULL, 
	assigned_on DATE NOT NULL, 
	last_visit_on DATE, 
	PRIMARY KEY (enterprise_id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id), 
	FOREIGN KEY(team) REFERENCES team (name)
);
CREATE INDEX ix_assignment_last_visit_on ON assignment (last_visit_on);
CREATE INDEX ix_assignment_team ON assignment (team);
CREATE TABLE enterprisechange (
	id INTEGER NOT NULL, 
	enterprise_id INTEGER NOT NULL, 
	field_name VARCHAR NOT NULL, 
	old_value VARCHAR, 
	new_value VARCHAR, 
	base_version INTEGER NOT NULL, 
	changed_at DATETIME NOT NULL, 
	changed_by VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id)
);
CREATE INDEX ix_enterprisechange_enterprise_id ON enterprisechange (enterprise_id);
CREATE TABLE visit (
	id VARCHAR(36) NOT NULL, 
	enterprise_id INTEGER NOT NULL, 
	form_code VARCHAR NOT NULL, 
	form_version VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	inspectors_json VARCHAR NOT NULL, 
	place VARCHAR NOT NULL, 
	started_at DATETIME NOT NULL, 
	completed_at DATETIME, 
	outcome VARCHAR NOT NULL, 
	content_hash VARCHAR NOT NULL, 
	document_json VARCHAR, 
	created_by VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id)
);
CREATE INDEX ix_visit_enterprise_id ON visit (enterprise_id);
CREATE INDEX ix_visit_started_at ON visit (started_at);
CREATE INDEX ix_visit_status ON visit (status);
CREATE TABLE answer (
	visit_id VARCHAR NOT NULL, 
	item_key VARCHAR NOT NULL, 
	value_json VARCHAR NOT NULL, 
	answered_at DATETIME NOT NULL, 
	PRIMARY KEY (visit_id, item_key), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE TABLE enterpriserequest (
	id VARCHAR(36) NOT NULL, 
	enterprise_id INTEGER NOT NULL, 
	visit_id VARCHAR, 
	category VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE INDEX ix_enterpriserequest_enterprise_id ON enterpriserequest (enterprise_id);
CREATE INDEX ix_enterpriserequest_status ON enterpriserequest (status);
CREATE INDEX ix_enterpriserequest_visit_id ON enterpriserequest (visit_id);
CREATE TABLE finding (
	id VARCHAR(36) NOT NULL, 
	visit_id VARCHAR NOT NULL, 
	enterprise_id INTEGER NOT NULL, 
	item_key VARCHAR NOT NULL, 
	option VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	severity VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	rectification VARCHAR NOT NULL, 
	"order" VARCHAR NOT NULL, 
	deadline DATE NOT NULL, 
	found_on DATE NOT NULL, 
	legal_basis VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	closed_by_visit_id VARCHAR, 
	closed_on DATE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(closed_by_visit_id) REFERENCES visit (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE INDEX ix_finding_enterprise_id ON finding (enterprise_id);
CREATE INDEX ix_finding_open_deadline ON finding (status, deadline);
CREATE INDEX ix_finding_visit_id ON finding (visit_id);
CREATE TABLE issueddocument (
	id INTEGER NOT NULL, 
	visit_id VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	issuing_unit VARCHAR NOT NULL, 
	year INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	issued_on DATE NOT NULL, 
	prefix VARCHAR DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id), 
	UNIQUE (issuing_unit, kind, year, number), 
	UNIQUE (visit_id, kind)
);
CREATE INDEX ix_issueddocument_visit_id ON issueddocument (visit_id);
CREATE TABLE signature (
	visit_id VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	signer VARCHAR NOT NULL, 
	sha256 VARCHAR, 
	refused_reason VARCHAR NOT NULL, 
	signed_at DATETIME NOT NULL, 
	PRIMARY KEY (visit_id, role), 
	FOREIGN KEY(sha256) REFERENCES attachment (sha256), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE TABLE visitphoto (
	id INTEGER NOT NULL, 
	visit_id VARCHAR NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	item_key VARCHAR NOT NULL, 
	caption VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(sha256) REFERENCES attachment (sha256), 
	FOREIGN KEY(visit_id) REFERENCES visit (id), 
	UNIQUE (visit_id, sha256, item_key)
);
CREATE INDEX ix_visitphoto_visit_id ON visitphoto (visit_id);
CREATE TABLE findingevent (
	id VARCHAR(36) NOT NULL, 
	finding_id VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	visit_id VARCHAR, 
	note VARCHAR NOT NULL, 
	new_deadline DATE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(finding_id) REFERENCES finding (id), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE INDEX ix_findingevent_finding_id ON findingevent (finding_id);
CREATE TABLE findingphoto (
	finding_id VARCHAR NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	stage VARCHAR NOT NULL, 
	PRIMARY KEY (finding_id, sha256, stage), 
	FOREIGN KEY(finding_id) REFERENCES finding (id), 
	FOREIGN KEY(sha256) REFERENCES attachment (sha256)
);
CREATE TABLE recheckmark (
	visit_id VARCHAR NOT NULL, 
	finding_id VARCHAR NOT NULL, 
	result VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	new_deadline DATE, 
	photo_sha256 VARCHAR, 
	marked_at DATETIME NOT NULL, 
	PRIMARY KEY (visit_id, finding_id), 
	FOREIGN KEY(finding_id) REFERENCES finding (id), 
	FOREIGN KEY(photo_sha256) REFERENCES attachment (sha256), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE TABLE requestfollowup (
	id INTEGER NOT NULL, 
	request_id VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	status VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	"by" VARCHAR NOT NULL, event_id VARCHAR(36) DEFAULT '' NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(request_id) REFERENCES enterpriserequest (id)
);
CREATE INDEX ix_requestfollowup_request_id ON requestfollowup (request_id);
CREATE TABLE syncaccount (
	username VARCHAR NOT NULL, 
	server_url VARCHAR NOT NULL, 
	display_name VARCHAR NOT NULL, 
	badge_number VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	team VARCHAR, 
	token_store VARCHAR NOT NULL, 
	cursor VARCHAR NOT NULL, 
	scope VARCHAR NOT NULL, 
	last_push_at DATETIME, 
	last_pull_at DATETIME, 
	clock_skew_seconds FLOAT, 
	last_error VARCHAR NOT NULL, 
	PRIMARY KEY (username)
);
CREATE TABLE syncrecord (
	outbox_id INTEGER NOT NULL, 
	server_status VARCHAR NOT NULL, 
	reason VARCHAR NOT NULL, 
	missing_json VARCHAR NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (outbox_id), 
	FOREIGN KEY(outbox_id) REFERENCES outbox (id)
);
CREATE VIRTUAL TABLE enterprise_fts USING fts5(search_text, content='enterprise', content_rowid='id', tokenize='trigram');
CREATE TRIGGER enterprise_fts_ad AFTER DELETE ON enterprise BEGIN INSERT INTO enterprise_fts(enterprise_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END;
CREATE UNIQUE INDEX ix_requestfollowup_event_id ON requestfollowup (event_id);
CREATE TABLE fts_bulk_load (one INTEGER PRIMARY KEY CHECK (one = 1));
CREATE TRIGGER enterprise_fts_ai AFTER INSERT ON enterprise WHEN NOT EXISTS (SELECT 1 FROM fts_bulk_load) BEGIN INSERT INTO enterprise_fts(rowid, search_text) VALUES (new.id, new.search_text); END;
CREATE TABLE pulledquarantine (
	id INTEGER NOT NULL, 
	account VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	"key" VARCHAR NOT NULL, 
	reason VARCHAR NOT NULL, 
	payload_json VARCHAR NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_pulledquarantine_kind ON pulledquarantine (kind);
CREATE TABLE numberblock (
	id INTEGER NOT NULL, 
	office_id INTEGER NOT NULL, 
	account VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	year INTEGER NOT NULL, 
	first INTEGER NOT NULL, 
	last INTEGER NOT NULL, 
	used_upto INTEGER NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (office_id)
);
CREATE TABLE siteperson (
	visit_id VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	id_number VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	unit VARCHAR NOT NULL, 
	PRIMARY KEY (visit_id, role), 
	FOREIGN KEY(visit_id) REFERENCES visit (id)
);
CREATE TABLE pinyin_pending (id INTEGER PRIMARY KEY);
CREATE VIRTUAL TABLE enterprise_pinyin_fts USING fts5(pinyin_text, content='enterprise', content_rowid='id', tokenize='trigram');
CREATE TRIGGER enterprise_fts_au AFTER UPDATE OF search_text ON enterprise BEGIN INSERT INTO enterprise_fts(enterprise_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO enterprise_fts(rowid, search_text) VALUES (new.id, new.search_text); END;
CREATE TRIGGER enterprise_pinyin_ai AFTER INSERT ON enterprise WHEN NOT EXISTS (SELECT 1 FROM fts_bulk_load) BEGIN INSERT INTO enterprise_pinyin_fts(rowid, pinyin_text) VALUES (new.id, new.pinyin_text); END;
CREATE TRIGGER enterprise_pinyin_ad AFTER DELETE ON enterprise BEGIN INSERT INTO enterprise_pinyin_fts(enterprise_pinyin_fts, rowid, pinyin_text) SELECT 'delete', old.id, old.pinyin_text WHERE NOT EXISTS (SELECT 1 FROM pinyin_pending WHERE id = old.id); DELETE FROM pinyin_pending WHERE id = old.id; END;
CREATE TRIGGER enterprise_pinyin_au AFTER UPDATE OF pinyin_text ON enterprise WHEN NOT EXISTS (SELECT 1 FROM pinyin_pending WHERE id = old.id) BEGIN INSERT INTO enterprise_pinyin_fts(enterprise_pinyin_fts, rowid, pinyin_text) VALUES ('delete', old.id, old.pinyin_text); INSERT INTO enterprise_pinyin_fts(rowid, pinyin_text) VALUES (new.id, new.pinyin_text); END;
