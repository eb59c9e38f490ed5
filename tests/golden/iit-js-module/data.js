export const data = {
	Asia: [
		{
			"S.No.": "1",
			"Institutions/Organization/Country": "Shinshu University, Matsumoto",
			Nature: "MoU",
			"Purpose/Title": "Academic Cooperation and Exchange of students",
			"Coordinating faculty member": "DOIA\r\nDOAA",
			"Signed on": "July 28, 2020",
			Duration: "5 Years",
			"Country with which there is collation": "Japan",
		},
	],
	Europe: [
		{
			"Institutions/Organization/Country": "Saarland University, Saarbrücken",
			Nature: "Agreement",
			"Purpose/Title": "Student Exchange Programme",
			"Coordinating faculty member": "Director",
			"Signed on": "November 11, 2010",
			Duration: "Auto-renewable after 5 years",
			"Country with which there is collation": "Germany",
		},
		{
			"Institutions/Organization/Country": "ALICE Collaboration, CERN, Geneva",
			Nature: "MoU",
			"Purpose/Title": "For Collaboration in the Construction, the Maintenance and Operation of the ALICE Detector",
			"Coordinating faculty member": "Dr. A. Person",
			"Signed on": "",
			Duration: "Till mutually agreed",
			"Country with which there is collation": "Geneva",
		},
	],
};
