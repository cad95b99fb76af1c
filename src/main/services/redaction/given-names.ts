// Common given names across the languages marketing copy is written in (Western and Northern
// Europe, the Americas, South and East Asia, Africa, the Middle East). A capitalized word from this
// list starts a person name in free text; the surname words after it belong to the name.
//
// Deliberately left out: given names that are also ordinary capitalized words, months, places or
// brands in the copy this tool sees (Will, Mark, May, June, Hope, Faith, Joy, Frank, Max, Guy, Art,
// Bill, Rich, Austin, Milan, Paris, Florence, Georgia, Sydney, Jordan, Chelsea, Summer, Amber,
// Ruby, Pearl, Jade, Crystal, Dawn, Sky, River, Rose, Victoria, Lincoln, Ford, Mercedes): a false
// positive would rewrite a product or a city. Names the archive itself holds (the profile's
// known_values) are added per export, so its own people are found even when missing here.

const NAMES = `
Aaron Abdul Abdullah Abel Abigail Ada Adam Adebayo Adele Adeola Aditya Adriana Adrian Agnes Ahmad Ahmed Aidan Aiko Aisha Akira Alan
Albert Alberto Aleksander Aleksandra Alejandro Alessandra Alessandro Alex Alexander Alexandra Alexei Alexis Alfie Alfred Ali Alice Alicia
Alina Alison Alma Amal Amanda Amara Amelia Amélie Amina Amir Amit Amy Ana Anastasia Anders Andrea Andreas Andrei Andrés Andrew Andrzej Angela
Angelika Anika Anita Anja Ann Anna Anne Annika Anton Antoine Antonio Anya Arjun Arne Arthur Arvid Asha Astrid Aurélie Ava Axel Ayesha Aylin
Barbara Beatriz Beatrice Ben Benjamin Bernard Bernd Bianca Birgit Björn Bogdan Boris Brian Bridget Bruno Camila Camille Carla Carlos Carmen Carol
Caroline Casper Catalina Catherine Cecilia Charlotte Chen Chiara Chidi Chinedu Chioma Chloe Chloé Chris Christian Christina Christine Christopher Claire
Clara Claudia Colin Conor Constantin Cristina Daan Dagmar Daisuke Damian Dana Daniel Daniela Daniele Danielle Dario David Deborah Deepak Denise Dennis
Diana Diego Dimitri Dmitri Dominik Dorothea Duc Dylan Edward Eero Elena Eleni Elias Elif Elin Elisa Elisabeth Elise Eliza Elizabeth Ella Ellen Emeka Emil
Emilia Emilie Emily Emma Emre Enrique Eric Erik Erika Esra Esther Ethan Eva Evelyn Ewa Fabian Fabio Farah Fatima Fatma Federico Felix Fernanda Fernando
Filip Finn Fiona Florian Francesca Francesco Francisco François Françoise Freya Frida Friedrich Gabriel Gabriela Gabriele Georg George Gerhard Giorgio
Giovanni Giulia Giuseppe Gonzalo Grace Greta Guillaume Gustav Hamza Hana Hannah Hans Harald Harper Harry Hassan Heidi Heike Helen Helena Helga Henrik
Henry Hiroshi Hugo Ibrahim Ida Ifeoma Igor Ilse Imran Inês Ines Ingrid Irene Iris Isaac Isabel Isabella Isabelle Ivan Ivana Jacob Jakob Jakub James Jan
Jana Jane Janek Janet Jasmin Jasmine Jason Javier Jean Jennifer Jens Jeremy Jessica Joanna Joao João Joaquim Johan Johanna Johannes John Jonas
Jonathan Jorge José Josef Joseph Joshua Juan Judith Julia Julian Juliana Julien Julie Julio Jürgen Justyna Kai Kamal Kamil Karen Karim Karin Karina Karl
Karolina Kasper Katarzyna Kate Katharina Katherine Kathrin Katrin Kavya Keiko Kemal Kenji Kerstin Kevin Khalid Kim Klaus Klara Krishna Kristina Krzysztof
Kwame Lara Lars Laura Lauren Laurent Layla Lea Léa Leah Leila Lena Leo Leon Leonie Leonardo Liam Lina Linda Lisa Livia Lorenzo Louis Louise Luca Lucas Lucia
Lucía Lucie Luis Luisa Lukas Łukasz Luke Lydia Maarten Madeleine Magdalena Maja Malik Manon Manuel Manuela Marc Marcel Marco Marcus Margaret Margarethe Maria
María Mariana Marie Marina Mario Marion Marius Marta Martha Martin Martina Mateo Matías Matteo Matthew Matthias Maximilian Maya Mehmet Mei Melanie Mia Michael
Michaela Michał Michel Michelle Miguel Mikael Mikko Mila Minh Miriam Mohamed Mohammed Monika Morgan Moritz Muhammad Nadia Nadine Naomi Natalia Natalie
Nathalie Nathan Nicola Nicolas Nicole Niamh Niels Nikita Niklas Nikolai Nina Noah Noor Nora Norbert Nuno Oliver Olivia Olga Omar Oscar Oskar Otto Pablo
Paola Paolo Patricia Patrick Paul Paula Paulina Pavel Pedro Peter Petra Philipp Philippe Pierre Piotr Pooja Priya Rafael Rahul Rajesh Ramón Rania Raphael
Rebecca Renate Ricardo Riccardo Robert Roberto Rohan Roman Ronja Rosa Ruth Ryan Saanvi Sabine Sakura Samuel Sandra Sanjay Sara Sarah Sasha Sebastian
Sebastián Selin Sergei Sergio Shreya Silvia Simon Simone Siobhan Sofia Sofía Sophia Sophie Søren Stefan Stefanie Stella Stephanie Steven Susanne Sven Tamara
Tanja Tariq Teresa Thea Theo Thomas Thomas Tim Tobias Tomás Tomasz Tom Torben Ulrike Ursula Valentina Valentin Vanessa Vera Veronika Vikram Vincent Viktor
Wei Wojciech Wolfgang Xavier Yara Yasmin Yuki Yusuf Yuto Zainab Zara Zofia Zoë Zoe Zeynep Oluwaseun Tunde Aaliyah Niall Ciara Declan Aoife Eoin Saoirse Sinéad
Mateusz Bartosz Agnieszka Małgorzata Jiří Petr Tereza Lucas Davide Elisabetta Giacomo Ilaria Beatrix Zsófia Bence Dóra Oğuz Ayşe Cem Dilara Ravi Anil Sunita
Lakshmi Arjun Ishaan Ananya Haruto Ren Yui Hina Sora Jin Seo-yeon Ji-ho Min-jun Hyun Thanh Linh Huong Anh Xin Yan Hui Jun Lei Ming Akua Ama Kofi Yaw Chiamaka
Ngozi Obinna Babajide Wanjiru Wanjiku Kamau Amani Baraka Nia Omari Zuri Yasmine Youssef Mariam Samir Nour Rami Tarek Hiba Dalia Ingeborg Sigrid Solveig Leif
Gunnar Magnus Nils Ole Hedda Linnea Elsa Alva Wilma Signe Tuva Eino Aino Onni Veera Väinö
`;

/** The built-in given names (NFC). */
export const GIVEN_NAMES: ReadonlySet<string> = new Set(
  NAMES.split(/\s+/)
    .filter(Boolean)
    .map((n) => n.normalize('NFC')),
);

/** Lower-case name particles that may sit between a given name and a surname (van der Berg, de la Cruz). */
export const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'da', 'di', 'du', 'del', 'della', 'dos', 'das', 'le', 'la', 'ten', 'ter', 'bin', 'ibn', 'al', 'el', 'zu', 'y',
]);

/** Titles that make the next capitalized word(s) a name even without a known given name. */
export const NAME_TITLES: ReadonlySet<string> = new Set(['Mr', 'Mrs', 'Ms', 'Mx', 'Miss', 'Dr', 'Prof', 'Herr', 'Frau', 'Mme', 'Mlle', 'Sr', 'Sra', 'Dott']);
