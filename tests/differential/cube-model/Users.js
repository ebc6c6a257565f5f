// Keep semantically identical to demo/model/users.yml.
cube(`Users`, {
  sql: `SELECT * FROM users`,

  measures: {
    count: {
      type: `count`,
      drillMembers: [id, fullName, city, createdAt],
    },
    companies: {
      sql: `company`,
      type: `countDistinct`,
    },
  },

  dimensions: {
    id: {
      sql: `id`,
      type: `number`,
      primaryKey: true,
    },
    firstName: {
      sql: `first_name`,
      type: `string`,
    },
    lastName: {
      sql: `last_name`,
      type: `string`,
    },
    fullName: {
      sql: `${CUBE}.first_name || ' ' || ${CUBE}.last_name`,
      type: `string`,
    },
    email: {
      sql: `email`,
      type: `string`,
    },
    city: {
      sql: `city`,
      type: `string`,
    },
    company: {
      sql: `company`,
      type: `string`,
    },
    tenantId: {
      sql: `tenant_id`,
      type: `number`,
    },
    createdAt: {
      sql: `created_at`,
      type: `time`,
      title: `Signed up`,
    },
  },

  segments: {
    europe: {
      sql: `${CUBE}.city IN ('London', 'Berlin', 'Paris', 'Amsterdam')`,
      description: `Customers in European cities`,
    },
  },
});
