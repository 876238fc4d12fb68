import { AdminApiError, errorToToast, summarizeApiError } from "../api-error-detail"
import { adminApiRequest, resolveApiUrl } from "../admin-api-request"
import { transactionsApi } from "../transactions-api-client"

describe("summarizeApiError", () => {
  it("takes the detail and title of the transactions API's errors", () => {
    expect(
      summarizeApiError(
        {
          errors: [
            {
              status: 400,
              title: "Error while refunding",
              detail: "Unable to automatically refund a manually captured transaction",
            },
          ],
        },
        400
      )
    ).toEqual({
      status: 400,
      title: "Error while refunding",
      detail: "Unable to automatically refund a manually captured transaction",
    })
  })

  it("joins distinct details, falls back to the title when an error has no detail", () => {
    expect(
      summarizeApiError(
        { errors: [{ title: "A", detail: "One." }, { title: "B", detail: "One." }, { title: "C" }] },
        422
      )
    ).toEqual({ status: 422, title: "A", detail: "One. C" })
  })

  it("reads Medusa's own { message } errors (auth, validation)", () => {
    expect(summarizeApiError({ type: "unauthorized", message: "Unauthorized" }, 401)).toEqual({
      status: 401,
      title: "Request failed",
      detail: "Unauthorized",
    })
  })

  it("says what it can when the body has nothing to show", () => {
    expect(summarizeApiError(null, 502, "Bad Gateway").detail).toBe("The server answered 502 Bad Gateway.")
    expect(summarizeApiError("<html>oops</html>", 500).detail).toBe("The server answered 500.")
    expect(summarizeApiError("Service unavailable", 503).detail).toBe("Service unavailable")
    expect(summarizeApiError({ errors: [] }, 0).detail).toBe("The server could not be reached.")
  })

  it("gives toasts a title and a detail for anything thrown", () => {
    const error = new AdminApiError({ status: 400, title: "Error while refunding", detail: "No." }, {})
    expect(errorToToast(error)).toEqual({ title: "Error while refunding", detail: "No." })
    expect(errorToToast(new TypeError("Failed to fetch"))).toEqual({
      title: "Request failed",
      detail: "Failed to fetch",
    })
    expect(errorToToast("?")).toEqual({ title: "Request failed", detail: "Something went wrong." })
  })
})

describe("resolveApiUrl", () => {
  it.each([
    ["/", "/admin/orders/o1/transactions", "https://shop.test/admin/orders/o1/transactions"],
    ["", "/admin/x", "https://shop.test/admin/x"],
    ["http://localhost:9000", "/admin/x", "http://localhost:9000/admin/x"],
    ["http://localhost:9000/", "admin/x", "http://localhost:9000/admin/x"],
    ["https://api.shop.test/medusa", "/admin/x", "https://api.shop.test/medusa/admin/x"],
    ["/api", "/admin/x", "https://shop.test/api/admin/x"],
  ])("%j + %j -> %s", (base, path, expected) => {
    expect(resolveApiUrl(base, path, "https://shop.test")).toBe(expected)
  })
})

describe("adminApiRequest and the transactions API client", () => {
  const realFetch = global.fetch
  let calls: { url: string; init: RequestInit }[]

  function answer(status: number, body: unknown, statusText = "") {
    calls = []
    global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init: init ?? {} })
      return new Response(body === undefined ? null : JSON.stringify(body), { status, statusText })
    }) as typeof fetch
  }

  afterEach(() => {
    global.fetch = realFetch
  })

  it("sends JSON with the session cookie and resolves with the body", async () => {
    answer(200, { data: [{ id: "tx_1" }] })
    await expect(transactionsApi.list("order_1")).resolves.toEqual([{ id: "tx_1" }])
    expect(calls[0].url).toBe("http://localhost/admin/orders/order_1/transactions")
    expect(calls[0].init).toMatchObject({ method: "GET", credentials: "include", body: undefined })
    expect(calls[0].init.headers).toEqual({ accept: "application/json" })
  })

  it("posts the capture body under data and encodes the ids", async () => {
    answer(200, { data: { id: "tx_capture" } })
    await transactionsApi.capture("order 1", "tx/1", { capture_amount: 2500, custom_reference: "" })
    expect(calls[0].url).toBe("http://localhost/admin/orders/order%201/transactions/tx%2F1/capture")
    expect(calls[0].init.method).toBe("POST")
    expect(calls[0].init.headers).toEqual({ accept: "application/json", "content-type": "application/json" })
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ data: { capture_amount: 2500, custom_reference: "" } })
  })

  it("posts {} to mark as refunded, { data: { amount } } to refund, {} to cancel", async () => {
    answer(200, { data: { id: "tx_refund" } })
    await transactionsApi.refund("o", "t", {})
    await transactionsApi.refund("o", "t", { data: { amount: 2000 } })
    await transactionsApi.cancel("o", "t")
    expect(calls.map((c) => [c.url.replace("http://localhost", ""), c.init.body])).toEqual([
      ["/admin/orders/o/transactions/t/refund", "{}"],
      ["/admin/orders/o/transactions/t/refund", '{"data":{"amount":2000}}'],
      ["/admin/orders/o/transactions/t/cancel", "{}"],
    ])
  })

  it("rejects with the API's detail as the message (which sdk.client.fetch would drop)", async () => {
    answer(
      400,
      { errors: [{ status: 400, title: "Error while refunding", detail: "Unable to automatically refund it" }] },
      "Bad Request"
    )
    const error = await transactionsApi.refund("o", "t", { data: { amount: 1 } }).catch((e) => e)
    expect(error).toBeInstanceOf(AdminApiError)
    expect(error).toMatchObject({
      message: "Unable to automatically refund it",
      status: 400,
      title: "Error while refunding",
    })
  })

  it("turns a network failure into a readable error", async () => {
    global.fetch = jest.fn(async () => {
      throw new TypeError("fetch failed")
    }) as typeof fetch
    await expect(adminApiRequest("/admin/x")).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/could not be reached/),
    })
  })

  it("lists disputes", async () => {
    answer(200, { data: [{ id: "dp_1" }] })
    await expect(transactionsApi.disputes("order_1")).resolves.toEqual([{ id: "dp_1" }])
    expect(calls[0].url).toBe("http://localhost/admin/orders/order_1/disputes")
  })
})
