package dataset

// Word lists the generator draws from. They are made up; none is taken from a
// real customer list.

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
	"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy",
	"Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley",
	"Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
	"Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
	"Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Laura", "Edward", "Sharon",
	"Jeffrey", "Cynthia", "Ryan", "Kathleen", "José", "Amélie", "Søren", "Chloé",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
	"Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
	"Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
	"Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
	"Carter", "Roberts", "Gómez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
	"Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "O'Connor", "Núñez",
}

var titles = []string{
	"Office Manager", "IT Manager", "Owner", "CEO", "CFO", "Controller", "Practice Manager",
	"Operations Director", "Network Administrator", "Receptionist", "Bookkeeper",
	"VP of Operations", "Managing Partner", "Systems Administrator", "HR Manager",
	"Purchasing Agent", "Director of Technology", "Paralegal", "Nurse Manager", "Accountant",
}

var companyFirst = []string{
	"Northwind", "Cedar Ridge", "Blue Harbor", "Summit", "Lakeside", "Pinecrest", "Redwood",
	"Silver Creek", "Oak Valley", "Riverbend", "Granite", "Maple Street", "Harborview",
	"Evergreen", "Ironwood", "Brightwater", "Stonegate", "Willow Park", "Highland", "Crescent",
	"Meadowbrook", "Falcon", "Keystone", "Prairie", "Coastal", "Liberty", "Sterling", "Bayside",
}

var companyTrade = []string{
	"Dental", "Family Medicine", "Law", "Accounting", "Logistics", "Realty", "Construction",
	"Veterinary", "Insurance", "Engineering", "Orthodontics", "Manufacturing", "Pediatrics",
	"Architecture", "Credit Union", "Chiropractic", "Auto Group", "Wealth Management",
	"Title & Escrow", "Property Management", "Imaging", "Physical Therapy", "Marketing",
}

var companySuffix = []string{"LLC", "Inc.", "Group", "Partners", "Associates", "PC", "Co.", "PLLC", "Ltd."}

var streets = []string{
	"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
	"Windcrest", "Commerce", "Industrial", "Sunset", "Ridge", "Church", "Mill", "Spring",
}

var streetKinds = []string{"St", "Ave", "Blvd", "Dr", "Rd", "Pkwy", "Ln", "Ct"}

// cities pairs a city with its state and a zip prefix.
var cities = []struct{ city, state, zip string }{
	{"Plano", "TX", "750"}, {"Austin", "TX", "787"}, {"Tampa", "FL", "336"}, {"Orlando", "FL", "328"},
	{"Denver", "CO", "802"}, {"Boise", "ID", "837"}, {"Columbus", "OH", "432"}, {"Raleigh", "NC", "276"},
	{"Nashville", "TN", "372"}, {"Phoenix", "AZ", "850"}, {"Portland", "OR", "972"}, {"Madison", "WI", "537"},
	{"Omaha", "NE", "681"}, {"Richmond", "VA", "232"}, {"Sacramento", "CA", "958"}, {"Albany", "NY", "122"},
	{"Des Moines", "IA", "503"}, {"Spokane", "WA", "992"}, {"Louisville", "KY", "402"}, {"Tulsa", "OK", "741"},
}

var freeMail = []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me"}

var dealTopics = []string{
	"Managed Services Agreement", "Microsoft 365 Migration", "Firewall Refresh", "Backup & DR",
	"Server Replacement", "Wi-Fi Upgrade", "Security Awareness Training", "VoIP Rollout",
	"Workstation Refresh", "Co-managed IT", "Azure Migration", "Penetration Test",
	"Endpoint Protection Renewal", "Network Assessment", "Copier Lease", "Cabling Project",
}

var dealSources = []string{"Referral", "Website", "Trade Show", "Cold Call", "Existing Client", "Partner"}

var memberNames = []struct{ first, last string }{
	{"Brenda", "Wilson"}, {"Carlos", "Ortega"}, {"Dana", "Whitfield"}, {"Eli", "Strand"},
	{"Fatima", "Rahman"}, {"Grant", "Holloway"}, {"Hana", "Kobayashi"}, {"Ivan", "Petrov"},
	{"Jade", "Morrison"}, {"Kurt", "Lindqvist"}, {"Lena", "Brooks"}, {"Marcus", "Bell"},
}
