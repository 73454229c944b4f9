// Encodes texts with the official Hugging Face tokenizers library (npm tokenizers@0.23.2), without the
// post-processor's special tokens. Reads {"tokenizer": path, "texts": [...]} on stdin and prints the id lists,
// or a list of such requests and prints one list of id lists per request. With "decode": true it also decodes
// each text's ids (skipping special tokens) and prints {"ids": [...], "decoded": [...]} per request.
const { Tokenizer } = require("tokenizers");

async function run(request) {
  const tokenizer = Tokenizer.fromFile(request.tokenizer);
  const ids = [];
  const decoded = [];
  for (const text of request.texts) {
    const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
    ids.push(Array.from(encoding.getIds()));
  }
  if (!request.decode) {
    return ids;
  }
  for (const list of request.ids ?? ids) {
    decoded.push(await tokenizer.decode(list, true));
  }
  return { ids, decoded };
}

let input = "";
process.stdin.on("data", chunk => (input += chunk));
process.stdin.on("end", async () => {
  const request = JSON.parse(input);
  const result = Array.isArray(request) ? await Promise.all(request.map(run)) : await run(request);
  process.stdout.write(JSON.stringify(result));
});
