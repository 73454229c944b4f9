# Writes train.jsonl: 400 facts of the test's form ("<child> had a <pet> named <name>.") with child names the test
# split (facts.jsonl) never uses, so no test fact, question or input is in train. Seeded: the file is reproducible.
#   python3 make-train.py > train.jsonl
import json
import random

children = ["Ada", "Alex", "Amy", "Andy", "Beth", "Bill", "Bob", "Cara", "Carl", "Dan", "Dora", "Ed", "Eve", "Fay", "Fred",
            "Gail", "Gus", "Hal", "Hana", "Ian", "Ivy", "Jade", "Jill", "Joe", "Kate", "Kim", "Kurt", "Lara", "Lena", "Liam",
            "Mark", "May", "Meg", "Nate", "Nell", "Nick", "Olga", "Omar", "Pam", "Paul", "Pete", "Quin", "Rita", "Rob", "Rosa",
            "Ruth", "Sara", "Seth", "Tara", "Ted", "Tess", "Uma", "Val", "Vic", "Wade", "Will", "Xena", "Yara", "Yuri", "Zack",
            "Abe", "Bea", "Cody", "Dina", "Eli", "Gwen", "Hugo", "Ines", "Jon", "Kai"]
pets = ["dog", "cat", "bird", "fish", "frog", "bunny"]
names = ["Rex", "Bella", "Lucky", "Max", "Bingo", "Daisy", "Fluffy", "Spot", "Tiger", "Milo", "Pip", "Lola", "Buddy",
         "Sunny", "Ginger", "Snowy", "Sparky", "Bubbles", "Coco", "Rusty"]
rng = random.Random(7)
pairs = [(c, p) for c in children for p in pets]
rng.shuffle(pairs)
for i, (child, pet) in enumerate(pairs[:400]):
    name = rng.choice(names)
    print(json.dumps({"id": f"train-{i:03d}", "fact": f"{child} had a {pet} named {name}.",
                      "question": f"{child} had a {pet}. The {pet}'s name was", "answer": name}))
