# Writes train.jsonl (400 examples) and test.jsonl (40 items) for the JSON-extraction task of
# ../../../shared/models/stories260K/BEHAVIOUR.md: "<child> had a <pet> named <name>. One day, <child> and <name>
# went to the <place>." → {"owner": "<child>", "pet": "<pet>", "name": "<name>"}. The test's children never appear
# in train (its 140 children teach copying the owner's name), so no test input is in train. Seeded: the files are reproducible.
#   python3 make-data.py
import json
import random

train_children = """Ada Alex Amy Andy Beth Bill Bob Cara Carl Dan Dora Ed Eve Fay Fred Gail Gus Hal Hana Ian Ivy Jade Jill Joe
Kate Kim Kurt Lara Lena Liam Mark May Meg Nate Nell Nick Olga Omar Pam Paul Pete Rita Rob Rosa Ruth Sara Seth Tara Ted
Tess Abe Bea Cody Dina Eli Gwen Hugo Ines Jon Kai Leo Nora Owen Pia Ravi Sofia Theo Uma Vera Wes Zoe Adam Bella Chloe
David Emma Finn Grace Henry Isla Jake Kara Luke Mila Noah Olive Peter Quinn Ruby Simon Tina Victor Wendy Yusuf Zara Alan
Brook Clara Derek Elsa Frank Greta Harry Iris James Karl Laura Mason Nina Oscar Penny Rosie Steve Tilly Vince Willa
Xavier Yvonne Zeke Alma Boris Celia Dylan Edith Felix Hazel Igor Julia Kevin Lorna Miles Nadia Otto Paula""".split()
test_children = ["Tom", "Lily", "Sam", "Mia", "Ben", "Lucy", "Jack", "Anna", "Max", "Sue"]
pets = ["dog", "cat", "bird", "fish", "frog", "bunny"]
names = ["Rex", "Belle", "Lucky", "Bingo", "Daisy", "Fluffy", "Spot", "Tiger", "Milo", "Pip", "Lola", "Buddy",
         "Sunny", "Ginger", "Snowy", "Sparky", "Bubbles", "Coco", "Rusty", "Moss"]
places = ["park", "pond", "beach", "forest", "garden", "river", "hill", "shop", "farm", "zoo"]


def item(rng, child):
    pet, name, place = rng.choice(pets), rng.choice(names), rng.choice(places)
    return {"text": f"{child} had a {pet} named {name}. One day, {child} and {name} went to the {place}.",
            "json": json.dumps({"owner": child, "pet": pet, "name": name})}


rng = random.Random(11)
with open("train.jsonl", "w") as train:
    for i in range(400):
        train.write(json.dumps({"id": f"train-{i:03d}", **item(rng, rng.choice(train_children))}) + "\n")
with open("test.jsonl", "w") as test:
    for i in range(40):
        test.write(json.dumps({"id": f"test-{i:02d}", **item(rng, test_children[i % len(test_children)])}) + "\n")
