// Encodes texts with the official Hugging Face tokenizers library (npm tokenizers@0.23.2), without the
// post-processor's special tokens. Reads {"tokenizer": path, "texts": [...]} on stdin; prints the id lists.
const { Tokenizer } = require("tokenizers");

let input = "";
process.stdin.on("data", chunk => (input += chunk));
process.stdin.on("end", async () => {
  const request = JSON.parse(input);
  const tokenizer = Tokenizer.fromFile(request.tokenizer);
  const ids = [];
  for (const text of request.texts) {
    const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
    ids.push(Array.from(encoding.getIds()));
  }
  process.stdout.write(JSON.stringify(ids));
});
