// The demo model in Cube 0.27's JS syntax, for recording real Cube's answers.
// Keep it semantically identical to demo/model/orders.yml.
cube(`Orders`, {
  sql: `SELECT * FROM orders`,
  description: `One row per order placed in the shop`,

  joins: {
    Users: {
      sql: `${CUBE}.user_id = ${Users}.id`,
      relationship: `belongsTo`,
    },
    Products: {
      sql: `${CUBE}.product_id = ${Products}.id`,
      relationship: `belongsTo`,
    },
    LineItems: {
      sql: `${CUBE}.id = ${LineItems}.order_id`,
      relationship: `hasMany`,
    },
  },

  measures: {
    count: {
      type: `count`,
      description: `Number of orders`,
      drillMembers: [id, status, amount, createdAt, Users.city],
    },
    completedCount: {
      type: `count`,
      title: `Completed Orders`,
      filters: [{ sql: `${CUBE}.status = 'completed'` }],
    },
    completedPercentage: {
      sql: `ROUND(100.0 * ${completedCount} / NULLIF(${count}, 0), 2)`,
      type: `number`,
      format: `percent`,
    },
    totalAmount: {
      sql: `amount`,
      type: `sum`,
      format: `currency`,
      meta: { unit: `USD` },
    },
    giftAmount: {
      sql: `amount`,
      type: `sum`,
      filters: [{ sql: `${CUBE}.is_gift = TRUE` }],
    },
    avgAmount: {
      sql: `amount`,
      type: `avg`,
      title: `Average Amount`,
    },
    minAmount: {
      sql: `amount`,
      type: `min`,
    },
    maxAmount: {
      sql: `amount`,
      type: `max`,
    },
    totalQuantity: {
      sql: `quantity`,
      type: `sum`,
    },
    uniqueUsers: {
      sql: `user_id`,
      type: `countDistinct`,
      description: `Customers with at least one order`,
    },
    amountPerUser: {
      sql: `ROUND(${totalAmount} / NULLIF(${uniqueUsers}, 0), 2)`,
      type: `number`,
      format: `currency`,
    },
    lastOrderAt: {
      sql: `created_at`,
      type: `max`,
    },
  },

  dimensions: {
    id: {
      sql: `id`,
      type: `number`,
      primaryKey: true,
      shown: true,
    },
    status: {
      sql: `status`,
      type: `string`,
      title: `Order Status`,
      description: `processing, shipped, completed or cancelled`,
    },
    amount: {
      sql: `amount`,
      type: `number`,
      format: `currency`,
    },
    quantity: {
      sql: `quantity`,
      type: `number`,
    },
    isGift: {
      sql: `is_gift`,
      type: `boolean`,
    },
    isBigOrder: {
      sql: `${CUBE}.amount >= 500`,
      type: `boolean`,
    },
    sizeBucket: {
      type: `string`,
      case: {
        when: [
          { sql: `${CUBE}.amount < 50`, label: `small` },
          { sql: `${CUBE}.amount < 250`, label: `medium` },
        ],
        else: { label: `large` },
      },
    },
    tenantId: {
      sql: `tenant_id`,
      type: `number`,
      meta: { multiTenancy: true },
    },
    userId: {
      sql: `user_id`,
      type: `number`,
      shown: false,
    },
    customerName: {
      sql: `${Users.firstName} || ' ' || ${Users.lastName}`,
      type: `string`,
    },
    createdAt: {
      sql: `created_at`,
      type: `time`,
    },
    completedAt: {
      sql: `completed_at`,
      type: `time`,
    },
  },

  segments: {
    completed: {
      sql: `${CUBE}.status = 'completed'`,
      title: `Completed orders`,
    },
    gifts: {
      sql: `${CUBE}.is_gift = TRUE`,
    },
  },
});
