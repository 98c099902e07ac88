// Runs once, when MongoDB initialises an empty volume (/docker-entrypoint-initdb.d): one user per certflow service,
// allowed to read and write its own database only. Passwords come from the environment of the mongodb container
// (CERTFLOW_MONGO_PASSWORD_ORDER, _VERIFICATION, _ISSUANCE, _HOSTING, _DEPLOYMENT), never from this file.
for (const service of ['order', 'verification', 'issuance', 'hosting', 'deployment']) {
  const variable = 'CERTFLOW_MONGO_PASSWORD_' + service.toUpperCase();
  const password = process.env[variable];
  if (!password || !/^[A-Za-z0-9]{16,}$/.test(password)) {
    throw new Error(variable + ' must be set to at least 16 letters or digits (openssl rand -hex 24)');
  }
  const database = 'certflow-' + service;
  db.getSiblingDB(database).createUser({
    user: service + '-service',
    pwd: password,
    roles: [{ role: 'readWrite', db: database }]
  });
}
