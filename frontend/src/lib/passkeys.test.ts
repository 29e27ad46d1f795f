import { describe, expect, it } from "vitest";
import type { PasskeyCreationOptions } from "./api-types";
import {
  authenticationJSON,
  base64urlToBytes,
  browserRefusal,
  bytesToBase64url,
  creationOptions,
  PasskeyCancelled,
  registrationJSON,
  requestOptions,
} from "./passkeys";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("base64url", () => {
  it.each([
    [bytes(), ""],
    [bytes(0), "AA"],
    [bytes(0xfb, 0xff), "-_8"],
    [bytes(1, 2, 3), "AQID"],
    [new TextEncoder().encode("user-id"), "dXNlci1pZA"],
  ])("writes %s as %s, and reads it back", (data, text) => {
    expect(bytesToBase64url(data)).toBe(text);
    expect(base64urlToBytes(text)).toEqual(data);
  });

  it("reads padded text too", () => {
    expect(base64urlToBytes("AA==")).toEqual(bytes(0));
  });
});

describe("options", () => {
  const creation: PasskeyCreationOptions = {
    rp: { id: "tea.example", name: "Teahouse" },
    user: { id: "dXNlci1pZA", name: "ada", displayName: "Ada" },
    challenge: "AQID",
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    timeout: 120000,
    excludeCredentials: [{ type: "public-key", id: "-_8" }],
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
    attestation: "none",
  };

  it("gives the browser bytes where the server sent base64url", () => {
    const options = creationOptions(creation);
    expect(options.user.id).toEqual(new TextEncoder().encode("user-id"));
    expect(options.challenge).toEqual(bytes(1, 2, 3));
    expect(options.excludeCredentials).toEqual([{ type: "public-key", id: bytes(0xfb, 0xff) }]);
    expect(options.rp).toEqual(creation.rp);
    expect(options.authenticatorSelection).toEqual(creation.authenticatorSelection);
    expect(options.attestation).toBe("none");
  });

  it("asks for a passkey of this instance, listing none", () => {
    const options = requestOptions({
      rpId: "tea.example",
      challenge: "AQID",
      timeout: 120000,
      allowCredentials: [],
      userVerification: "required",
    });
    expect(options).toEqual({
      rpId: "tea.example",
      challenge: bytes(1, 2, 3),
      timeout: 120000,
      allowCredentials: [],
      userVerification: "required",
    });
  });
});

describe("credentials", () => {
  const buffer = (...values: number[]) => bytes(...values).buffer;

  it("sends a new passkey's bytes as base64url", () => {
    const credential = {
      id: "AQID",
      rawId: buffer(1, 2, 3),
      type: "public-key",
      response: { clientDataJSON: buffer(0), attestationObject: buffer(0xfb, 0xff) },
    } as unknown as PublicKeyCredential;
    expect(registrationJSON(credential)).toEqual({
      id: "AQID",
      rawId: "AQID",
      type: "public-key",
      response: { clientDataJSON: "AA", attestationObject: "-_8" },
    });
  });

  it("sends an assertion's bytes as base64url, the user handle when there is one", () => {
    const response = { clientDataJSON: buffer(0), authenticatorData: buffer(1), signature: buffer(2) };
    const credential = (userHandle: ArrayBuffer | null) =>
      ({ id: "AQID", rawId: buffer(1, 2, 3), type: "public-key", response: { ...response, userHandle } }) as unknown as PublicKeyCredential;
    expect(authenticationJSON(credential(buffer(3))).response).toEqual({
      clientDataJSON: "AA",
      authenticatorData: "AQ",
      signature: "Ag",
      userHandle: "Aw",
    });
    expect(authenticationJSON(credential(null)).response.userHandle).toBeNull();
  });
});

describe("browserRefusal", () => {
  it.each([
    ["NotAllowedError", "The passkey prompt was closed or timed out."],
    ["InvalidStateError", "This device already has a passkey for your account."],
    ["SecurityError", "Passkeys need this Teahouse on a domain name over HTTPS."],
  ])("says what %s means", (name, text) => {
    expect(browserRefusal(new DOMException("x", name))).toBe(text);
  });

  it("leaves other errors to their own texts", () => {
    expect(browserRefusal(new Error("network"))).toBeNull();
    expect(browserRefusal(new PasskeyCancelled())).toBe("No passkey was chosen.");
  });
});
