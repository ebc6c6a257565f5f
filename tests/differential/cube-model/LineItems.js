// Keep semantically identical to demo/model/line_items.yml.
cube(`LineItems`, {
  sql: `SELECT * FROM line_items`,

  joins: {
    Products: {
      sql: `${CUBE}.product_id = ${Products}.id`,
      relationship: `belongsTo`,
    },
  },

  measures: {
    count: {
      type: `count`,
    },
    totalQuantity: {
      sql: `quantity`,
      type: `sum`,
    },
    revenue: {
      sql: `${CUBE}.quantity * ${CUBE}.price`,
      type: `sum`,
      format: `currency`,
    },
    avgPrice: {
      sql: `price`,
      type: `avg`,
    },
  },

  dimensions: {
    id: {
      sql: `id`,
      type: `number`,
      primaryKey: true,
    },
    orderId: {
      sql: `order_id`,
      type: `number`,
    },
    productId: {
      sql: `product_id`,
      type: `number`,
    },
    quantity: {
      sql: `quantity`,
      type: `number`,
    },
    price: {
      sql: `price`,
      type: `number`,
    },
  },
});
