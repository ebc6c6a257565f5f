// Keep semantically identical to demo/model/products.yml.
cube(`Products`, {
  sql: `SELECT * FROM products`,

  measures: {
    count: {
      type: `count`,
      drillMembers: [id, name, category, price],
    },
    avgPrice: {
      sql: `price`,
      type: `avg`,
      format: `currency`,
    },
  },

  dimensions: {
    id: {
      sql: `id`,
      type: `number`,
      primaryKey: true,
    },
    name: {
      sql: `name`,
      type: `string`,
    },
    category: {
      sql: `category`,
      type: `string`,
    },
    price: {
      sql: `price`,
      type: `number`,
      format: `currency`,
    },
    createdAt: {
      sql: `created_at`,
      type: `time`,
    },
  },

  segments: {
    electronics: {
      sql: `${CUBE}.category = 'Electronics'`,
    },
  },
});
