/**
 * Seeds a store ready for checkout with both providers: store currencies, a region whose payment providers are
 * `pp_stripe_stripe` and `pp_paypal_paypal`, a sales channel with a publishable key, a stock location with a shipping
 * option, and a product in stock. Idempotent: a second run finds the region and changes nothing.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

export const DEMO_REGION_NAME = "Demo region"
export const DEMO_PROVIDERS = ["pp_stripe_stripe", "pp_paypal_paypal"]

export interface SeededStore {
  region_id: string
  sales_channel_id: string
  publishable_key: string
  shipping_option_id: string
  product_id: string
  variant_id: string
  created: boolean
}

export async function seedDemoStore(container: MedusaContainer): Promise<SeededStore> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const { data: existing } = await query.graph({
    entity: "region",
    fields: ["id"],
    filters: { name: DEMO_REGION_NAME },
  })
  if (existing.length) {
    return { ...(await describeExisting(container, existing[0].id)), created: false }
  }

  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Demo storefront" }] },
  })
  const channel = channels[0]

  const { data: stores } = await query.graph({ entity: "store", fields: ["id"] })
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: stores[0].id },
      update: {
        supported_currencies: [
          { currency_code: "usd", is_default: true },
          { currency_code: "eur" },
          { currency_code: "jpy" },
          { currency_code: "kwd" },
        ],
        default_sales_channel_id: channel.id,
      },
    },
  })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: DEMO_REGION_NAME,
          currency_code: "usd",
          countries: ["us", "gb", "de", "fr"],
          payment_providers: DEMO_PROVIDERS,
        },
      ],
    },
  })
  const region = regions[0]
  await createTaxRegionsWorkflow(container).run({
    input: ["us", "gb", "de", "fr"].map((country_code) => ({ country_code, provider_id: "tp_system" })),
  })

  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Demo storefront", type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: keys[0].id, add: [channel.id] } })

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: "Demo warehouse", address: { city: "Berlin", country_code: "DE", address_1: "" } }] },
  })
  const location = locations[0]
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  const { result: profiles } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default", type: "default" }] },
  })
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "Demo shipping",
    type: "shipping",
    service_zones: [
      {
        name: "Demo zone",
        geo_zones: ["us", "gb", "de", "fr"].map((country_code) => ({ country_code, type: "country" as const })),
      },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  const { result: options } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard shipping",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profiles[0].id,
        type: { label: "Standard", description: "Ships in 2-3 days.", code: "standard" },
        prices: [
          { currency_code: "usd", amount: 10 },
          { region_id: region.id, amount: 10 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [channel.id] } })

  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "Orchestrator T-shirt",
          handle: "orchestrator-t-shirt",
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: profiles[0].id,
          options: [{ title: "Size", values: ["M", "L"] }],
          variants: ["M", "L"].map((size) => ({
            title: size,
            sku: `ORCH-TSHIRT-${size}`,
            options: { Size: size },
            manage_inventory: true,
            prices: [
              { currency_code: "usd", amount: 60 },
              { currency_code: "eur", amount: 55 },
              { currency_code: "jpy", amount: 9000 },
              { currency_code: "kwd", amount: 18.5 },
            ],
          })),
          sales_channels: [{ id: channel.id }],
        },
      ],
    },
  })
  const { data: items } = await query.graph({ entity: "inventory_item", fields: ["id"] })
  await createInventoryLevelsWorkflow(container).run({
    input: {
      inventory_levels: items.map((item: { id: string }) => ({
        location_id: location.id,
        stocked_quantity: 1_000_000,
        inventory_item_id: item.id,
      })),
    },
  })

  return {
    region_id: region.id,
    sales_channel_id: channel.id,
    publishable_key: keys[0].token,
    shipping_option_id: options[0].id,
    product_id: products[0].id,
    variant_id: products[0].variants[0].id,
    created: true,
  }
}

async function describeExisting(container: MedusaContainer, regionId: string): Promise<Omit<SeededStore, "created">> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const [{ data: keys }, { data: products }, { data: options }, { data: channels }] = await Promise.all([
    query.graph({ entity: "api_key", fields: ["token"], filters: { type: "publishable", title: "Demo storefront" } }),
    query.graph({ entity: "product", fields: ["id", "variants.id"], filters: { handle: "orchestrator-t-shirt" } }),
    query.graph({ entity: "shipping_option", fields: ["id"], filters: { name: "Standard shipping" } }),
    query.graph({ entity: "sales_channel", fields: ["id"], filters: { name: "Demo storefront" } }),
  ])
  return {
    region_id: regionId,
    sales_channel_id: channels[0]?.id,
    publishable_key: keys[0]?.token,
    shipping_option_id: options[0]?.id,
    product_id: products[0]?.id,
    variant_id: products[0]?.variants?.[0]?.id,
  }
}
